/**
 * Private data (Fabric's core/common/privdata, gossip/privdata and the ledger's private data parts):
 * collections from the chaincode definition and the implicit per-org collections, the simulator with
 * private reads and writes, distribution at endorsement, the commit of private writes with pull of
 * missed data, and purge after blockToLive.
 */
export * from './collections';
export { readCollectionsConfig, COLLECTIONS_CONFIG_FILE } from './collectionsfile';
export { CollectionResolver } from './resolver';
export type { ResolverSources } from './resolver';
export { PvtTxSimulator } from './pvtsimulator';
export type { PrivateDataAccess } from './pvtsimulator';
export { PvtRWSetBuilder, mergeHashedRwSets } from './pvtrwsetbuilder';
export { PrivateDataCoordinator, EXPIRY_NAMESPACE } from './coordinator';
export type { CommitTx, PvtDataFetcher, WantedCollection, CoordinatorOptions } from './coordinator';
export { PeerPrivateData, filterPvt } from './peerprivatedata';
export { setupPeerPrivateData } from './setup';
export type { PeerPrivateDataSetup, SetupOptions, PrivateDataChannel } from './setup';
