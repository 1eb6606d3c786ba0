/** devnet's policies: Fabric's common/policies, common/cauthdsl and common/policydsl. */
export * from './applicationpolicy';
export * from './cauthdsl';
export * from './implicitmeta';
export * from './manager';
export * from './policy';
export * from './policydsl';
export * from './signatureset';
export * from './convert';
export * from './inquire';
