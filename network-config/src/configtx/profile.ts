import * as fs from 'node:fs';
import type { MinistriesConfig } from '../ministries/config';
import { nodeLayout, orgLayout } from '../cryptogen/layout';
import type { PolicySpec } from './policies';

/**
 * A channel profile in the shape of configtxgen's `genesisconfig.Profile` (only what govfabric uses):
 * what configtx.yaml would say for the channel, with MSP folders and TLS certificate files to load.
 */
export interface GenesisProfile {
  policies: Record<string, PolicySpec>;
  capabilities: string[];
  orderer: {
    ordererType: 'etcdraft';
    /** Global orderer addresses (Channel/OrdererAddresses); allowed with V2_0, refused with V3_0. */
    addresses: string[];
    batchTimeout: string;
    batchSize: { maxMessageCount: number; absoluteMaxBytes: number; preferredMaxBytes: number };
    maxChannels: number;
    etcdRaft: {
      consenters: { host: string; port: number; clientTlsCertPath: string; serverTlsCertPath: string }[];
      options: {
        tickInterval: string;
        electionTick: number;
        heartbeatTick: number;
        maxInflightBlocks: number;
        snapshotIntervalSize: number;
      };
    };
    organizations: OrganizationProfile[];
    policies: Record<string, PolicySpec>;
    capabilities: string[];
  };
  application: {
    organizations: OrganizationProfile[];
    policies: Record<string, PolicySpec>;
    capabilities: string[];
    acls: Record<string, string>;
  };
}

/** An organization as configtx.yaml's `Organizations` entries. */
export interface OrganizationProfile {
  /** Config group name. */
  name: string;
  /** MSP id. */
  id: string;
  mspDir: string;
  policies: Record<string, PolicySpec>;
  anchorPeers?: { host: string; port: number }[];
  ordererEndpoints?: string[];
}

/** The address every devnet node listens on. */
export const NODE_HOST = '127.0.0.1';

/**
 * Capabilities. Channel V2_0, not V3_0: a Fabric 2.5 peer refuses a channel requiring V3_0, and V3_0
 * forbids the global OrdererAddresses that 2.x clients still read. Orderer V2_0, Application V2_5.
 */
export const CHANNEL_CAPABILITIES = ['V2_0'];
/** Orderer group capabilities. */
export const ORDERER_CAPABILITIES = ['V2_0'];
/** Application group capabilities (Fabric 2.5's newest). */
export const APPLICATION_CAPABILITIES = ['V2_5'];

/** Etcdraft options of Fabric's sampleconfig/configtx.yaml (SnapshotIntervalSize 16 MB). */
const ETCDRAFT_OPTIONS = {
  tickInterval: '500ms',
  electionTick: 10,
  heartbeatTick: 1,
  maxInflightBlocks: 5,
  snapshotIntervalSize: 16 * 1024 * 1024,
};

/** The default ACLs of Fabric's sampleconfig/configtx.yaml (Application.ACLs). */
export const DEFAULT_ACLS: Record<string, string> = {
  '_lifecycle/CheckCommitReadiness': '/Channel/Application/Writers',
  '_lifecycle/CommitChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinitions': '/Channel/Application/Writers',
  'lscc/ChaincodeExists': '/Channel/Application/Readers',
  'lscc/GetDeploymentSpec': '/Channel/Application/Readers',
  'lscc/GetChaincodeData': '/Channel/Application/Readers',
  'lscc/GetInstantiatedChaincodes': '/Channel/Application/Readers',
  'qscc/GetChainInfo': '/Channel/Application/Readers',
  'qscc/GetBlockByNumber': '/Channel/Application/Readers',
  'qscc/GetBlockByHash': '/Channel/Application/Readers',
  'qscc/GetTransactionByID': '/Channel/Application/Readers',
  'qscc/GetBlockByTxID': '/Channel/Application/Readers',
  'cscc/GetConfigBlock': '/Channel/Application/Readers',
  'cscc/GetChannelConfig': '/Channel/Application/Readers',
  'peer/Propose': '/Channel/Application/Writers',
  'peer/ChaincodeToChaincode': '/Channel/Application/Writers',
  'event/Block': '/Channel/Application/Readers',
  'event/FilteredBlock': '/Channel/Application/Readers',
};

const implicit = (rule: string): PolicySpec => ({ type: 'ImplicitMeta', rule });
const signature = (rule: string): PolicySpec => ({ type: 'Signature', rule });

/** Readers/Writers ANY, Admins MAJORITY: the channel-level and group-level defaults of configtx.yaml. */
function standardPolicies(): Record<string, PolicySpec> {
  return {
    Readers: implicit('ANY Readers'),
    Writers: implicit('ANY Writers'),
    Admins: implicit('MAJORITY Admins'),
  };
}

/** A ministry's policies as in Fabric's test-network configtx.yaml for Org1MSP. */
export function ministryPolicies(mspId: string): Record<string, PolicySpec> {
  return {
    Readers: signature(`OR('${mspId}.admin', '${mspId}.peer', '${mspId}.client')`),
    Writers: signature(`OR('${mspId}.admin', '${mspId}.client')`),
    Admins: signature(`OR('${mspId}.admin')`),
    Endorsement: signature(`OR('${mspId}.peer')`),
  };
}

/** The orderer organization's policies as in Fabric's test-network configtx.yaml for OrdererOrg. */
export function ordererOrgPolicies(mspId: string): Record<string, PolicySpec> {
  return {
    Readers: signature(`OR('${mspId}.member')`),
    Writers: signature(`OR('${mspId}.member')`),
    Admins: signature(`OR('${mspId}.admin')`),
  };
}

/**
 * The channel profile for the ministries, like test-network's `ChannelUsingRaft` profile: one Raft
 * consenter (the orderer's TLS server certificate as client and server certificate), every ministry
 * an application organization with its first peer as anchor peer.
 */
export function profileFromMinistries(config: MinistriesConfig, cryptoDir: string): GenesisProfile {
  const o = config.orderer;
  const ordererOrg = orgLayout(cryptoDir, 'orderer', o.domain);
  const ordererNode = nodeLayout(ordererOrg.nodesDir, o.nodeName, 'server');
  // Endpoints use the address devnet listens on (no DNS for *.egov.local here); the TLS certificates
  // carry IP SAN 127.0.0.1, so clients dialing these endpoints still verify the server.
  const endpoint = `${NODE_HOST}:${o.port}`;
  return {
    policies: standardPolicies(),
    capabilities: CHANNEL_CAPABILITIES,
    orderer: {
      ordererType: 'etcdraft',
      addresses: [endpoint],
      batchTimeout: o.batchTimeout,
      batchSize: { ...o.batchSize },
      maxChannels: 0,
      etcdRaft: {
        consenters: [
          {
            host: NODE_HOST,
            port: o.port,
            clientTlsCertPath: ordererNode.tlsCertPath,
            serverTlsCertPath: ordererNode.tlsCertPath,
          },
        ],
        options: { ...ETCDRAFT_OPTIONS },
      },
      organizations: [
        {
          name: o.name,
          id: o.mspId,
          mspDir: ordererOrg.mspDir,
          policies: ordererOrgPolicies(o.mspId),
          ordererEndpoints: [endpoint],
        },
      ],
      policies: { ...standardPolicies(), BlockValidation: implicit('ANY Writers') },
      capabilities: ORDERER_CAPABILITIES,
    },
    application: {
      organizations: config.ministries.map((m) => ({
        name: m.mspId,
        id: m.mspId,
        mspDir: orgLayout(cryptoDir, 'peer', m.domain).mspDir,
        policies: ministryPolicies(m.mspId),
        anchorPeers: [{ host: NODE_HOST, port: m.peers[0].port }],
      })),
      policies: {
        ...standardPolicies(),
        LifecycleEndorsement: implicit('MAJORITY Endorsement'),
        Endorsement: implicit('MAJORITY Endorsement'),
      },
      capabilities: APPLICATION_CAPABILITIES,
      acls: { ...DEFAULT_ACLS },
    },
  };
}

/** Reads a file configtxgen would load by path (consenter TLS certificates), naming it on failure. */
export function readProfileFile(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    throw new Error(`cannot load ${what} ${file}: ${(err as Error).message}`);
  }
}
