/** devnet's protoutil: Fabric's protoutil package (block hashes, envelopes, proposals, transactions). */
export * from './blockutils';
export * from './der';
export * from './endorseraction';
export * from './proputils';
export * from './signeddata';
export * from './signer';
export * from './timestamp';
export * from './txid';
export * from './txparse';
export * from './txutils';
export * from './unmarshalers';
export * from './views';
