import * as path from 'node:path';
import type { MinistriesConfig } from '../ministries/config';
import { nodeLayout, orgLayout } from '../cryptogen/layout';
import type { FabricPlan, OrdererNode, PeerNode } from './plan';

/** Where a node's files are on its host: crypto material, ledger data and the ccaas builder. */
export interface NodeFileLocations {
  /** cryptogen's output folder as the node sees it. */
  cryptoDir: string;
  /** Folder under which each node keeps its ledger: `<dataDir>/<node name>`. */
  dataDir: string;
  /** The ccaas external builder (a folder holding bin/detect, bin/build, bin/release). */
  ccaasBuilderDir: string;
}

/** Locations inside Fabric's images (hyperledger/fabric-peer and fabric-orderer). */
export const IMAGE_LOCATIONS: NodeFileLocations = {
  cryptoDir: '/etc/hyperledger/crypto',
  dataDir: '/var/hyperledger/production',
  ccaasBuilderDir: '/opt/hyperledger/ccaas_builder',
};

/** `KEY=value` lines, one per variable: read literally by `docker --env-file`, systemd and the scripts. */
export function formatEnvFile(comment: string, env: Record<string, string>): string {
  for (const [k, v] of Object.entries(env)) {
    if (/[\r\n]/.test(v)) throw new Error(`environment value of ${k} spans lines`);
  }
  return `# ${comment}\n${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/**
 * orderer.yaml overrides of one Raft orderer, as environment variables (ORDERER_*): TLS on the
 * client and cluster listener, no system channel (channel participation API on the admin port with
 * mutual TLS), Prometheus metrics, and its ledger and Raft WAL/snapshots under its data folder.
 */
export function ordererEnv(
  config: MinistriesConfig,
  node: OrdererNode,
  files: NodeFileLocations,
): Record<string, string> {
  const org = orgLayout(files.cryptoDir, 'orderer', config.orderer.domain);
  const local = nodeLayout(org.nodesDir, node.name, 'server');
  const data = path.posix.join(files.dataDir, node.name);
  const tlsCa = `[${local.tlsCaCertPath}]`;
  return {
    FABRIC_LOGGING_SPEC: 'INFO',
    ORDERER_GENERAL_LISTENADDRESS: '0.0.0.0',
    ORDERER_GENERAL_LISTENPORT: String(node.port),
    ORDERER_GENERAL_LOCALMSPID: config.orderer.mspId,
    ORDERER_GENERAL_LOCALMSPDIR: local.mspDir,
    ORDERER_GENERAL_TLS_ENABLED: 'true',
    ORDERER_GENERAL_TLS_PRIVATEKEY: local.tlsKeyPath,
    ORDERER_GENERAL_TLS_CERTIFICATE: local.tlsCertPath,
    ORDERER_GENERAL_TLS_ROOTCAS: tlsCa,
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: local.tlsCertPath,
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: local.tlsKeyPath,
    ORDERER_GENERAL_CLUSTER_ROOTCAS: tlsCa,
    ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
    ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
    ORDERER_ADMIN_TLS_ENABLED: 'true',
    ORDERER_ADMIN_TLS_CERTIFICATE: local.tlsCertPath,
    ORDERER_ADMIN_TLS_PRIVATEKEY: local.tlsKeyPath,
    ORDERER_ADMIN_TLS_ROOTCAS: tlsCa,
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
    ORDERER_ADMIN_TLS_CLIENTROOTCAS: tlsCa,
    ORDERER_ADMIN_LISTENADDRESS: `0.0.0.0:${node.adminPort}`,
    ORDERER_OPERATIONS_LISTENADDRESS: `0.0.0.0:${node.operationsPort}`,
    ORDERER_METRICS_PROVIDER: 'prometheus',
    ORDERER_FILELEDGER_LOCATION: path.posix.join(data, 'ledger'),
    ORDERER_CONSENSUS_WALDIR: path.posix.join(data, 'etcdraft', 'wal'),
    ORDERER_CONSENSUS_SNAPDIR: path.posix.join(data, 'etcdraft', 'snapshot'),
  };
}

/**
 * core.yaml overrides of one peer, as environment variables (CORE_*): its addresses (gossip
 * bootstraps from itself; anchor peers come from the channel config), TLS, LevelDB under its data
 * folder, Prometheus metrics, and the ccaas external builder, which reads the chaincode server's
 * address from the package's connection.json.
 */
export function peerEnv(
  config: MinistriesConfig,
  node: PeerNode,
  files: NodeFileLocations,
): Record<string, string> {
  const org = orgLayout(files.cryptoDir, 'peer', node.domain);
  const local = nodeLayout(org.nodesDir, node.name, 'server');
  const data = path.posix.join(files.dataDir, node.name);
  const builders = `[{name: ccaas_builder, path: ${files.ccaasBuilderDir}, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]`;
  return {
    FABRIC_LOGGING_SPEC: 'INFO',
    CORE_PEER_ID: node.name,
    CORE_PEER_ADDRESS: `${node.host}:${node.port}`,
    CORE_PEER_LISTENADDRESS: `0.0.0.0:${node.port}`,
    CORE_PEER_CHAINCODEADDRESS: `${node.host}:${node.chaincodeListenPort}`,
    CORE_PEER_CHAINCODELISTENADDRESS: `0.0.0.0:${node.chaincodeListenPort}`,
    CORE_PEER_GOSSIP_BOOTSTRAP: `${node.host}:${node.port}`,
    CORE_PEER_GOSSIP_EXTERNALENDPOINT: node.externalEndpoint,
    CORE_PEER_LOCALMSPID: node.mspId,
    CORE_PEER_MSPCONFIGPATH: local.mspDir,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_CERT_FILE: local.tlsCertPath,
    CORE_PEER_TLS_KEY_FILE: local.tlsKeyPath,
    CORE_PEER_TLS_ROOTCERT_FILE: local.tlsCaCertPath,
    CORE_PEER_PROFILE_ENABLED: 'false',
    CORE_PEER_FILESYSTEMPATH: data,
    CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
    CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.posix.join(data, 'snapshots'),
    CORE_OPERATIONS_LISTENADDRESS: `0.0.0.0:${node.operationsPort}`,
    CORE_METRICS_PROVIDER: 'prometheus',
    CORE_CHAINCODE_EXTERNALBUILDERS: builders,
    CORE_CHAINCODE_EXECUTETIMEOUT: '300s',
    CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: JSON.stringify({ peername: ccaasPeerName(node) }),
  };
}

/**
 * The `{{.peername}}` the ccaas builder substitutes in connection.json (test-network's convention,
 * e.g. `peer0org1`): host name and the domain's first label, e.g. `peer0immigration`.
 */
export function ccaasPeerName(node: PeerNode): string {
  return `${node.hostname}${node.domain.split('.')[0]}`.replace(/[^A-Za-z0-9]/g, '');
}

/** Every node's environment file: `<node name>.env` → content. */
export function buildNodeEnvFiles(
  config: MinistriesConfig,
  plan: FabricPlan,
  files: NodeFileLocations,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of plan.orderers)
    out.set(
      `${o.name}.env`,
      formatEnvFile(`orderer.yaml overrides of ${o.name}`, ordererEnv(config, o, files)),
    );
  for (const p of plan.peers)
    out.set(`${p.name}.env`, formatEnvFile(`core.yaml overrides of ${p.name}`, peerEnv(config, p, files)));
  return out;
}
