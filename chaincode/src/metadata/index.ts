/**
 * The data types `org.hyperledger.fabric:GetMetadata` describes (fabric-contract-api `@Object`
 * classes): loading this module registers them; the contracts name them in `@Returns`.
 */
export * from './json';
export * from './records';
export * from './schemas';
export * from './authorities';
export * from './audit';
export * from './token';
