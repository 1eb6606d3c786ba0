/** devnet's channelconfig: Fabric's common/channelconfig (the Bundle) and a configtxgen-style builder. */
export * from './bundle';
export * from './configbuilder';
export * from './duration';
export * from './keys';
