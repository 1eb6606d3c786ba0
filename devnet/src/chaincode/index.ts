export { ChaincodeSupport, INITIALIZED_KEY } from './chaincodesupport';
export type { ChaincodeSupportOptions, ExecuteRequest, ExecuteResult } from './chaincodesupport';
export { DefinitionStore, definitionForPeer } from './definition';
export type { ChaincodeDefinition, ChaincodeServerEndpoint } from './definition';
export { Handler } from './handler';
export type { ChaincodeStream, ExecuteParams, HandlerOptions } from './handler';
export type { ChaincodeSimulator } from './transactioncontext';
export { ERROR_EXECUTION_TIMEOUT, ERROR_STREAM_TERMINATED, ERROR_RICH_QUERY } from './errors';
export { MAX_RESULT_LIMIT, DEFAULT_TOTAL_QUERY_LIMIT } from './queryresponse';
