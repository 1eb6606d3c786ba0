import * as fs from 'node:fs';
import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor, OrganizationDescriptor } from '@govfabric/network-config';
import { computeConfigUpdate, configUpdateEnvelope } from '../configtx/update';
import { broadcastOnce } from '../gateway/broadcastclient';
import { newRemoteEndorser } from '../gateway/endorserclient';
import { SigningIdentity } from '../msp';
import { createChaincodeProposal, signProposal } from '../protoutil';
import { mspIdOf } from './orgconfig';

const POLL_MS = 100;
const TIMEOUT_MS = 60_000;

/** The channel config as a ministry's peer has it (`peer channel fetch config`: cscc GetChannelConfig). */
export async function fetchChannelConfig(
  net: NetworkDescriptor,
  org: OrganizationDescriptor,
): Promise<common.Config> {
  const p = org.peers[0];
  const admin = SigningIdentity.fromMSPDir(org.admin.mspDir, org.mspId);
  const endorser = newRemoteEndorser({
    dialAddress: `${p.host}:${p.port}`,
    tlsRootCertPem: fs.readFileSync(org.tlsCaCertPath),
    serverName: p.name,
  });
  try {
    const { proposal } = createChaincodeProposal({
      channelId: '',
      chaincodeName: 'cscc',
      args: [Buffer.from('GetChannelConfig'), Buffer.from(net.channel)],
      creator: admin.serialize(),
    });
    const response = (await endorser.processProposal(signProposal(proposal, admin))).getResponse();
    if (response?.getStatus() !== 200) {
      throw new Error(
        `GetChannelConfig on ${p.name} failed (${response?.getStatus()}): ${response?.getMessage()}`,
      );
    }
    return common.Config.deserializeBinary(response.getPayload_asU8());
  } finally {
    endorser.close();
  }
}

/** The ministries whose admins sign an update of `org`'s group: itself first, then others up to a majority. */
export function majorityWith(net: NetworkDescriptor, org: OrganizationDescriptor): OrganizationDescriptor[] {
  const others = net.organizations.filter((o) => o.mspId !== org.mspId);
  return [org, ...others].slice(0, Math.floor(net.organizations.length / 2) + 1);
}

/**
 * A channel config update as `configtxlator compute_update` + `peer channel signconfigtx` + `peer
 * channel update` do it: fetch the config, let `mutate` change a copy, compute the read/write sets,
 * collect the signatures of `signers`' admins, broadcast the CONFIG_UPDATE as the first signer, and
 * wait until every peer has applied the resulting config block.
 * @returns the new config sequence.
 */
export async function updateChannelConfig(
  net: NetworkDescriptor,
  mutate: (config: common.Config) => void,
  signers: OrganizationDescriptor[],
): Promise<number> {
  if (signers.length === 0) throw new Error('a config update needs at least one signing organization');
  const original = await fetchChannelConfig(net, signers[0]);
  const updated = common.Config.deserializeBinary(original.serializeBinary());
  mutate(updated);
  const update = computeConfigUpdate(net.channel, original, updated);
  const admins = signers.map((o) => SigningIdentity.fromMSPDir(o.admin.mspDir, o.mspId));
  const env = configUpdateEnvelope(update, admins, admins[0]);
  await broadcastOnce(net, env, 'config update');
  const sequence = original.getSequence() + 1;
  await Promise.all(net.organizations.map((org) => waitForSequence(net, org, sequence)));
  return sequence;
}

/** Polls the peer's config until it reaches `sequence` (the config block is committed there). */
async function waitForSequence(
  net: NetworkDescriptor,
  org: OrganizationDescriptor,
  sequence: number,
): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while ((await fetchChannelConfig(net, org)).getSequence() < sequence) {
    if (Date.now() > deadline)
      throw new Error(`${org.peers[0].name} did not reach config sequence ${sequence} within 60 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Sets a ministry's MSP revocation list (FabricMSPConfig.revocation_list) in a config: the CRL its CA
 * generated (`gencrl`), replacing the previous one (a Fabric CA CRL lists every revoked certificate).
 * @throws Error when the ministry is not in the channel's Application group.
 */
export function setRevocationList(config: common.Config, mspId: string, crlPem: string): void {
  const app = config.getChannelGroup()?.getGroupsMap().get('Application');
  const entry = [...(app?.getGroupsMap().entries() ?? [])].find(([, g]) => mspIdOf(g) === mspId);
  if (entry === undefined) throw new Error(`no organization with MSP ID ${mspId} in /Channel/Application`);
  const value = entry[1].getValuesMap().get('MSP')!;
  const mspConfig = mspProto.MSPConfig.deserializeBinary(value.getValue_asU8());
  const fabric = mspProto.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
  fabric.setRevocationListList([Buffer.from(crlPem)]);
  mspConfig.setConfig(fabric.serializeBinary());
  value.setValue(mspConfig.serializeBinary());
}

/**
 * `devnet crl <MSPID> <crl.pem>`: puts the CRL into the ministry's MSP in the channel config, signed by
 * a majority of the ministries' admins (the ministry's own first), so every peer refuses the revoked
 * certificates from the resulting config block on.
 */
export async function pushRevocationList(
  net: NetworkDescriptor,
  mspId: string,
  crlPem: string,
): Promise<number> {
  const org = net.organizations.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no ministry with MSP ID ${mspId} in network.json`);
  if (!/-----BEGIN X509 CRL-----/.test(crlPem)) throw new Error('the CRL file is not a PEM X509 CRL');
  return updateChannelConfig(
    net,
    (config) => setRevocationList(config, mspId, crlPem),
    majorityWith(net, org),
  );
}
