/** Private data storage of the peer (Fabric's core/ledger/pvtdatastorage) and where private data lives in the state. */
export { PvtDataStore } from './pvtdatastore';
export type { StoredPvtData, PvtCommitOptions, PurgeMarker } from './pvtdatastore';
export { hashedNamespace, privateNamespace, hashOf, hashedKey, isPrivateDataNamespace } from './namespaces';
