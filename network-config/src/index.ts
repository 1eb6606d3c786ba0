export * from './types';
export type {
  MinistriesConfig,
  MinistryConfig,
  OrdererOrgConfig,
  PeerConfig,
  BatchSizeConfig,
} from './ministries/config';
export { loadMinistries, parseMinistries, defaultMinistriesFile } from './ministries/load';
export { MinistriesConfigError } from './ministries/errors';
export { generateNetwork, defaultHome, GENERATOR_VERSION, type GenerateOptions } from './generate';
export {
  addMinistries,
  incompatibility,
  type AddMinistriesOptions,
  type AddMinistriesResult,
} from './addministries';
export { ministryConfigGroup } from './configtx/orggroup';
export { issueTlsServerCert } from './cryptogen/tls';
export { signaturePolicyFromString, signedBy, nOutOf } from './configtx/policydsl';
export { implicitMetaFromString } from './configtx/policies';
export { buildNetworkDescriptor } from './output/descriptor';
export {
  CENTRAL_BANK_MSP,
  accountsCollection,
  buildCollectionsConfig,
  collectionsConfigPath,
  writeCollectionsConfig,
  type CollectionConfigEntry,
} from './output/collections';
export { buildProfile, profilePath } from './output/profiles';
export {
  buildConnectionProfile,
  connectionProfilePath,
  writeConnectionProfiles,
  type ConnectionProfile,
} from './output/connectionprofile';
export { writeCoreYaml, buildCoreYaml, peerCfgDir } from './output/peercfg';
export { x509 } from './cryptogen/provider';
export { loadPrivateKey, toPem } from './cryptogen/keys';
export { nodeOUsConfigYaml, NodeOU } from './cryptogen/nodeous';
