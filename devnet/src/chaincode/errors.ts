/** Fabric's texts (core/chaincode/handler.go), which clients and the gateway match on. */
export const ERROR_EXECUTION_TIMEOUT = 'timeout expired while executing transaction';
/** The gateway treats a 500 ending with this as "remove this endorser and retry elsewhere". */
export const ERROR_STREAM_TERMINATED = 'chaincode stream terminated';
/** What Fabric's LevelDB state database answers to rich (CouchDB) queries. */
export const ERROR_RICH_QUERY = 'ExecuteQuery not supported for leveldb';
/** LevelDB's answer to a rich query with a page size or bookmark (stateleveldb.go names it so). */
export const ERROR_RICH_QUERY_PAGINATED = 'ExecuteQueryWithMetadata not supported for leveldb';
