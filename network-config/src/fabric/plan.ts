import type { MinistriesConfig } from '../ministries/config';

/**
 * Where the nodes of a real Fabric network live and how they are reached.
 *
 * - `native`: every node is a host of its own (a network namespace, a VM) with an address from a
 *   private /24; all nodes listen on Fabric's default ports (7050/7053/9443 for an orderer,
 *   7051/7052/9444 for a peer), clients dial the addresses directly.
 * - `dns`: every node is a container or pod reached by its node name (fabric-samples' test-network
 *   on Docker, Kubernetes); the ports are the ministries' own (ministries.yaml) so that they can be
 *   published on one machine, and clients on that machine dial `127.0.0.1:<port>`.
 */
export type Addressing = { kind: 'native'; subnet: string } | { kind: 'dns'; clientHost: string };

/** An orderer node of the Raft cluster. */
export interface OrdererNode {
  /** cryptogen host name, e.g. `orderer2`. */
  hostname: string;
  /** Node name and TLS server name, e.g. `orderer2.egov.local`. */
  name: string;
  /** Address other nodes dial (consenter host, orderer endpoint). */
  host: string;
  port: number;
  adminPort: number;
  operationsPort: number;
  /** `host:port` a client outside the network (gateway, tests, CLI) dials. */
  clientEndpoint: string;
  /** `host:port` of the channel participation API for osnadmin from outside the network. */
  adminEndpoint: string;
  /** `host:port` of /healthz and /metrics from outside the network. */
  operationsEndpoint: string;
}

/** A peer node of a ministry. */
export interface PeerNode {
  mspId: string;
  domain: string;
  hostname: string;
  /** e.g. `peer0.immigration.egov.local` */
  name: string;
  host: string;
  port: number;
  /** The peer's own chaincode listener (CORE_PEER_CHAINCODELISTENADDRESS). */
  chaincodeListenPort: number;
  operationsPort: number;
  /** Port of the ministry's egov chaincode-as-a-service server, on the peer's host. */
  chaincodeServerPort: number;
  clientEndpoint: string;
  operationsEndpoint: string;
  /** `host:port` the peer advertises to other organizations (CORE_PEER_GOSSIP_EXTERNALENDPOINT). */
  externalEndpoint: string;
}

/** Every node of the network and its addresses. */
export interface FabricPlan {
  addressing: Addressing;
  orderers: OrdererNode[];
  peers: PeerNode[];
}

/** Default number of Raft consenters: three tolerate one failure. */
export const DEFAULT_ORDERER_COUNT = 3;

/** The private /24 of the native network's namespaces (the bridge is `.1`). */
export const DEFAULT_SUBNET = '10.117.0';

/** Port of a ministry's egov chaincode-as-a-service server, on its own host or container (test-network's CCaaS port). */
export const CHAINCODE_SERVER_PORT = 9999;

const SUBNET = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Checks a `/24` prefix such as `10.117.0`: three octets inside a private range (RFC 1918), so that
 * no public address is ever taken over by the namespaces.
 * @throws Error naming the prefix and what is wrong with it.
 */
export function checkSubnet(subnet: string): string {
  const m = SUBNET.exec(subnet);
  const octets = m ? m.slice(1, 4).map(Number) : [];
  if (!m || octets.some((o) => o > 255))
    throw new Error(`subnet '${subnet}': expected the first three octets of an IPv4 /24, e.g. 10.117.0`);
  const [a, b] = octets;
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate)
    throw new Error(`subnet '${subnet}' is not in a private range (10/8, 172.16/12, 192.168/16)`);
  return subnet;
}

/** Host part of orderer i (0-based) and peer j in native addressing: orderers .11.., peers .21... */
const ORDERER_HOST_BASE = 11;
const PEER_HOST_BASE = 21;

/** Ports of orderer i in dns addressing: 7050, 8050, 9050... (admin +3, operations 9443 + 100 i). */
const dnsOrdererPorts = (base: number, operationsBase: number, i: number) => ({
  port: base + 1000 * i,
  adminPort: base + 3 + 1000 * i,
  operationsPort: operationsBase + 100 * i,
});

/**
 * The address plan of a real network for the ministries: `ordererCount` Raft orderers of the
 * orderer organization (`orderer`, `orderer2`, ... in its domain) and every ministry's peers.
 * @throws Error when the count is not 1..9 or the subnet is invalid or too small for the nodes.
 */
export function planNetwork(
  config: MinistriesConfig,
  addressing: Addressing,
  ordererCount = DEFAULT_ORDERER_COUNT,
): FabricPlan {
  if (!Number.isInteger(ordererCount) || ordererCount < 1 || ordererCount > 9)
    throw new Error(`orderer count ${ordererCount}: expected 1 to 9 Raft consenters`);
  const o = config.orderer;
  const peerCount = config.ministries.reduce((n, m) => n + m.peers.length, 0);
  if (addressing.kind === 'native') {
    checkSubnet(addressing.subnet);
    if (PEER_HOST_BASE + peerCount > 254)
      throw new Error(`${peerCount} peers do not fit in ${addressing.subnet}.0/24 (from .${PEER_HOST_BASE})`);
  }
  const native = addressing.kind === 'native';
  const ext = (host: string, port: number): string =>
    `${native ? host : (addressing as { clientHost: string }).clientHost}:${port}`;

  const orderers: OrdererNode[] = Array.from({ length: ordererCount }, (_, i) => {
    const hostname = i === 0 ? o.hostname : `${o.hostname}${i + 1}`;
    const name = `${hostname}.${o.domain}`;
    const host = native ? `${addressing.subnet}.${ORDERER_HOST_BASE + i}` : name;
    const ports = native
      ? { port: 7050, adminPort: 7053, operationsPort: 9443 }
      : dnsOrdererPorts(o.port, o.operationsPort, i);
    return {
      hostname,
      name,
      host,
      ...ports,
      clientEndpoint: ext(host, ports.port),
      adminEndpoint: ext(host, ports.adminPort),
      operationsEndpoint: ext(host, ports.operationsPort),
    };
  });

  let index = 0;
  const peers: PeerNode[] = config.ministries.flatMap((m) =>
    m.peers.map((p) => {
      const host = native ? `${(addressing as { subnet: string }).subnet}.${PEER_HOST_BASE + index}` : p.name;
      index++;
      const ports = native
        ? { port: 7051, chaincodeListenPort: 7052, operationsPort: 9444 }
        : { port: p.port, chaincodeListenPort: p.chaincodePort, operationsPort: p.operationsPort };
      return {
        mspId: m.mspId,
        domain: m.domain,
        hostname: p.hostname,
        name: p.name,
        host,
        ...ports,
        chaincodeServerPort: CHAINCODE_SERVER_PORT,
        clientEndpoint: ext(host, ports.port),
        operationsEndpoint: ext(host, ports.operationsPort),
        externalEndpoint: `${host}:${ports.port}`,
      };
    }),
  );
  return { addressing, orderers, peers };
}

/** Splits `host:port`. */
export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, i), port: Number(endpoint.slice(i + 1)) };
}
