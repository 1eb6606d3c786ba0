/** devnet's certificate authorities: Fabric CA's REST API over the organizations' cryptogen CAs. */
export * from './attributes';
export * from './authority';
export * from './crl';
export * from './enrollment';
export * from './errors';
export * from './issuer';
export * from './registry';
export * from './server';
export * from './token';
