import * as path from 'node:path';
import type { MinistriesConfig } from '../ministries/config';
import { nodeLayout, orgLayout } from '../cryptogen/layout';
import { profileFromMinistries, type OrganizationProfile } from '../configtx/profile';
import type { PolicySpec } from '../configtx/policies';
import type { FabricPlan } from './plan';

/** The profile name in the generated configtx.yaml (as fabric-samples' test-network calls it). */
export const CHANNEL_PROFILE = 'ChannelUsingRaft';

/** configtx.yaml's `Policies` map: `{Name: {Type, Rule}}`. */
function policiesYaml(policies: Record<string, PolicySpec>): Record<string, { Type: string; Rule: string }> {
  return Object.fromEntries(Object.entries(policies).map(([k, p]) => [k, { Type: p.type, Rule: p.rule }]));
}

/** configtx.yaml's `Capabilities` map: `{V2_0: true}`. */
const capabilitiesYaml = (caps: string[]): Record<string, boolean> =>
  Object.fromEntries(caps.map((c) => [c, true]));

/** configtxgen's byte sizes are written in KB or MB as in Fabric's sample configtx.yaml. */
function byteSize(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes % mb === 0) return `${bytes / mb} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes}`;
}

/**
 * The content of configtx.yaml for the ministries on a real network: the same organizations,
 * policies, capabilities, ACLs and batch settings as devnet's genesis block (both come from
 * {@link profileFromMinistries}), with the Raft cluster of the plan instead of devnet's one orderer.
 * Paths (MSPDir, consenter certificates) are relative to `outDir`, where configtx.yaml is written;
 * configtxgen resolves them against the file's folder.
 * @param cryptoDir - cryptogen's output folder (its `--output`).
 */
export function buildConfigtx(
  config: MinistriesConfig,
  plan: FabricPlan,
  cryptoDir: string,
  outDir: string,
): Record<string, unknown> {
  const profile = profileFromMinistries(config, cryptoDir);
  const rel = (p: string): string => path.relative(outDir, p) || '.';
  const ordererOrgLayout = orgLayout(cryptoDir, 'orderer', config.orderer.domain);
  const endpoints = plan.orderers.map((o) => `${o.host}:${o.port}`);

  const org = (o: OrganizationProfile, extra: Record<string, unknown>): Record<string, unknown> => ({
    Name: o.name,
    ID: o.id,
    MSPDir: rel(o.mspDir),
    Policies: policiesYaml(o.policies),
    ...extra,
  });
  const ordererOrg = org(profile.orderer.organizations[0], { OrdererEndpoints: endpoints });
  const ministries = profile.application.organizations.map((o) => {
    const peers = plan.peers.filter((p) => p.mspId === o.id);
    // Anchor peers of the plan (the first peer of each ministry, as devnet's genesis block).
    return org(o, { AnchorPeers: peers.slice(0, 1).map((p) => ({ Host: p.host, Port: p.port })) });
  });
  const { orderer, application } = profile;
  const raft = orderer.etcdRaft.options;

  return {
    Organizations: [ordererOrg, ...ministries],
    Capabilities: {
      Channel: capabilitiesYaml(profile.capabilities),
      Orderer: capabilitiesYaml(orderer.capabilities),
      Application: capabilitiesYaml(application.capabilities),
    },
    Profiles: {
      [CHANNEL_PROFILE]: {
        Policies: policiesYaml(profile.policies),
        Capabilities: capabilitiesYaml(profile.capabilities),
        Orderer: {
          OrdererType: 'etcdraft',
          // Global addresses (Channel/OrdererAddresses) as devnet's block; allowed with channel V2_0.
          Addresses: endpoints,
          BatchTimeout: orderer.batchTimeout,
          BatchSize: {
            MaxMessageCount: orderer.batchSize.maxMessageCount,
            AbsoluteMaxBytes: byteSize(orderer.batchSize.absoluteMaxBytes),
            PreferredMaxBytes: byteSize(orderer.batchSize.preferredMaxBytes),
          },
          EtcdRaft: {
            Consenters: plan.orderers.map((o) => {
              const tls = nodeLayout(ordererOrgLayout.nodesDir, o.name, 'server').tlsCertPath;
              return { Host: o.host, Port: o.port, ClientTLSCert: rel(tls), ServerTLSCert: rel(tls) };
            }),
            Options: {
              TickInterval: raft.tickInterval,
              ElectionTick: raft.electionTick,
              HeartbeatTick: raft.heartbeatTick,
              MaxInflightBlocks: raft.maxInflightBlocks,
              SnapshotIntervalSize: byteSize(raft.snapshotIntervalSize),
            },
          },
          Organizations: [ordererOrg],
          Policies: policiesYaml(orderer.policies),
          Capabilities: capabilitiesYaml(orderer.capabilities),
        },
        Application: {
          Organizations: ministries,
          Policies: policiesYaml(application.policies),
          Capabilities: capabilitiesYaml(application.capabilities),
          ACLs: { ...application.acls },
        },
      },
    },
  };
}
