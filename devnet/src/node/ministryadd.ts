import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  addMinistries,
  ministryConfigGroup,
  type NetworkDescriptor,
  type OrganizationDescriptor,
} from '@govfabric/network-config';
import { DEFAULT_ENDORSEMENT_POLICY_REF } from '../lifecycle/chaincodedefinition';
import { chaincodeDir, readDefinition, type ChaincodeDefinitionFile } from '../lifecycle/definition';
import { fetchChannelConfig, majorityWith, updateChannelConfig } from './channelupdate';
import { deploy, deployedChaincodes, up, type DeployOptions } from './network';
import { loadNetwork } from './config';
import {
  addApplicationOrg,
  anchorPeersOf,
  applicationOrgs,
  parseAnchorPeers,
  setAnchorPeers,
} from './orgconfig';
import { Progress } from './progress';

const WAIT_MS = 60_000;

/** What `devnet ministry-add` did. */
export interface MinistryAddOutcome {
  /** MSP IDs added to the channel by this run's config update (empty when already members). */
  joined: string[];
  /** The channel's config sequence after the run. */
  sequence: number;
  /** Each deployed chaincode and the sequence of its definition the new ministries approved. */
  chaincodes: { name: string; sequence: number }[];
}

/**
 * The definition options that redeploy a chaincode as it was last deployed: its version, endorsement
 * policy and init flag; its collections from the record (the network's own chaincode takes the
 * collections config network-config regenerates for the new list of ministries instead).
 */
export function redeployOptions(
  home: string,
  def: ChaincodeDefinitionFile,
  networkChaincode: boolean,
): DeployOptions {
  const options: DeployOptions = { version: def.version, initRequired: def.initRequired };
  const policy = def.endorsementPolicy;
  if ('signaturePolicy' in policy) options.signaturePolicy = policy.signaturePolicy;
  else if (policy.channelConfigPolicy !== DEFAULT_ENDORSEMENT_POLICY_REF)
    options.channelConfigPolicy = policy.channelConfigPolicy;
  if (!networkChaincode && def.collections !== undefined) {
    const file = path.join(chaincodeDir(home, def.name), 'collections_config.json');
    fs.writeFileSync(file, `${JSON.stringify(def.collections, null, 2)}\n`);
    options.collectionsConfig = file;
  }
  return options;
}

/**
 * Joins the ministries that are in network.json but not in the channel: one config update adding
 * their organization groups (MSP, policies, anchor peer) to /Channel/Application, signed by the
 * admins of a majority of the member ministries (the Application group's mod_policy is MAJORITY
 * Admins). Resolves with the MSP IDs joined and the config sequence.
 */
async function joinChannel(net: NetworkDescriptor): Promise<{ joined: string[]; sequence: number }> {
  const config = await fetchChannelConfig(net, net.organizations[0]);
  const inChannel = new Set(applicationOrgs(config).map((o) => o.mspId));
  const members = net.organizations.filter((o) => inChannel.has(o.mspId));
  const missing = net.organizations.filter((o) => !inChannel.has(o.mspId));
  if (missing.length === 0) return { joined: [], sequence: config.getSequence() };
  const memberNet = { ...net, organizations: members };
  const sequence = await updateChannelConfig(
    memberNet,
    (c) => missing.forEach((o) => addApplicationOrg(c, o.mspId, ministryConfigGroup(o))),
    majorityWith(memberNet, members[0]),
  );
  return { joined: missing.map((o) => o.mspId), sequence };
}

/**
 * `npm run ministry:add` (`devnet ministry-add`), after ministries were appended to the list: crypto
 * material for the new ministries only (network-config `addMinistries`), a config update adding them
 * to the running channel, then their peers and CAs started (each peer joins with the genesis block
 * and pulls the whole chain from the orderer); every deployed chaincode is installed on the new
 * peers and approved by their ministries, and the network's own chaincode (egov) gets a new
 * sequence, approved by the ministries and committed, since its collections config names every
 * ministry. Every step is idempotent, so a run that stopped halfway is finished by running it again.
 */
export async function ministryAdd(home: string, out?: (line: string) => void): Promise<MinistryAddOutcome> {
  const before = deployedChaincodes(loadNetwork(home));
  const progress = new Progress(5 + 2 * before.length, out);
  const { network: net, added } = await progress.run('Generating crypto material for new ministries', () =>
    addMinistries({ home, ministriesFile: process.env.DEVNET_MINISTRIES }),
  );
  const joined = await progress.run(
    `Adding ${added.length === 0 ? 'missing ministries' : added.map((o) => o.mspId).join(', ')} to channel ${net.channel} (config update signed by a majority of admins)`,
    () => joinChannel(net),
  );
  await up(home, progress);
  await progress.run('Waiting until every peer has pulled the chain up to the new channel config', () =>
    Promise.all(net.organizations.map((o) => waitForConfig(net, o, joined.sequence))),
  );
  const chaincodes: MinistryAddOutcome['chaincodes'] = [];
  for (const cc of deployedChaincodes(net)) {
    const networkChaincode = cc.name === net.chaincode.name;
    const def = readDefinition(home, cc.name)!;
    const result = await deploy(
      home,
      progress,
      networkChaincode ? undefined : cc,
      redeployOptions(home, def, networkChaincode),
      'keep-running',
    );
    chaincodes.push({ name: cc.name, sequence: result.sequence });
  }
  return { joined: joined.joined, sequence: joined.sequence, chaincodes };
}

/**
 * Waits until `org`'s peer has the channel config at `sequence`. A new ministry's peer refuses its own
 * admin (creator org unknown) until it has pulled the block that added the ministry, so refusals are
 * retried too; the last one is reported on timeout.
 */
async function waitForConfig(
  net: NetworkDescriptor,
  org: OrganizationDescriptor,
  sequence: number,
): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let last = '';
  for (;;) {
    try {
      const seq = (await fetchChannelConfig(net, org)).getSequence();
      if (seq >= sequence) return;
      last = `config sequence ${seq}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`${org.peers[0].name} did not reach config sequence ${sequence} within 60 s (${last})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `devnet anchor-peers <MSPID> [host:port ...]`: sets the ministry's AnchorPeers in the channel config
 * (default: its peers in network.json), a config update signed by its own admin as the value's
 * mod_policy (its Admins) requires. Resolves with the new config sequence, or the current one when
 * the anchor peers were already these.
 */
export async function updateAnchorPeers(
  net: NetworkDescriptor,
  mspId: string,
  args: string[],
): Promise<{ sequence: number; anchors: { host: string; port: number }[]; changed: boolean }> {
  const org = net.organizations.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no ministry with MSP ID ${mspId} in network.json`);
  const anchors =
    args.length > 0 ? parseAnchorPeers(args) : org.peers.map((p) => ({ host: p.host, port: p.port }));
  const current = await fetchChannelConfig(net, org);
  if (JSON.stringify(anchorPeersOf(current, mspId)) === JSON.stringify(anchors))
    return { sequence: current.getSequence(), anchors, changed: false };
  const sequence = await updateChannelConfig(net, (c) => setAnchorPeers(c, mspId, anchors), [org]);
  return { sequence, anchors, changed: true };
}
