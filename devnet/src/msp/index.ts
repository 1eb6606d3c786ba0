/** devnet's msp: Fabric's X.509 MSP (identities, validation, NodeOUs, principals, signing). */
export * from './cert';
export * from './configbuilder';
export * from './ecdsa';
export * from './identity';
export * from './mspimpl';
export * from './mspmgr';
export * from './principals';
export * from './signingidentity';
