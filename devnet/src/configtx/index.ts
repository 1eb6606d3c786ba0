/** devnet's configtx: Fabric's channel config update rules (common/configtx) and configtxlator's compute_update. */
export * from './configmap';
export * from './update';
export * from './validator';
