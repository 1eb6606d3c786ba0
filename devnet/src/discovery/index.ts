/** devnet's service discovery: Fabric's discovery package (service, endorsement analyzer, config and membership support). */
export * from './collection';
export * from './config';
export * from './endorsement';
export * from './gossip';
export * from './member';
export * from './service';
