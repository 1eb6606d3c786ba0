export { SystemChaincodes, SYSTEM_CHAINCODE_NAMES, SYSCC_VERSION } from './systemchaincodes';
export type { SccChannel, SccResult, SystemChaincodesOptions } from './systemchaincodes';
export { checkSccACL, DEFAULT_SCC_ACLS } from './acl';
export type { LocalMsp } from './acl';
export { invokeQscc, chainInfo, SccError } from './qscc';
export { invokeCscc } from './cscc';
export { SccStub } from './sccstub';
