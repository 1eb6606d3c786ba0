import type { MinistriesConfig } from '../ministries/config';
import type { FabricPlan } from './plan';

/**
 * The names a node's TLS certificate must carry besides its node name (cryptogen's `SANS`): the
 * address other nodes dial when it is not the node name, and loopback for clients on the same host.
 */
function sans(host: string, name: string): string[] {
  return [...new Set([...(host !== name ? [host] : []), 'localhost', '127.0.0.1'])];
}

/**
 * cryptogen's crypto-config.yaml for the network: the orderer organization with one spec per Raft
 * node, each ministry with its peers and its users besides Admin (User1..N), NodeOUs enabled as in
 * devnet's material (network-config's cryptogen writes the same layout).
 */
export function buildCryptoConfig(config: MinistriesConfig, plan: FabricPlan): Record<string, unknown> {
  return {
    OrdererOrgs: [
      {
        Name: config.orderer.name,
        Domain: config.orderer.domain,
        EnableNodeOUs: true,
        Specs: plan.orderers.map((o) => ({ Hostname: o.hostname, SANS: sans(o.host, o.name) })),
      },
    ],
    PeerOrgs: config.ministries.map((m) => ({
      Name: m.name,
      Domain: m.domain,
      EnableNodeOUs: true,
      Specs: plan.peers
        .filter((p) => p.mspId === m.mspId)
        .map((p) => ({ Hostname: p.hostname, SANS: sans(p.host, p.name) })),
      Users: { Count: m.users },
    })),
  };
}
