import { common } from '@hyperledger/fabric-protos';
import type { Signer } from '../protoutil/signer';
import { createSignedEnvelope, makeSignatureHeader } from '../protoutil/txutils';
import { policyBytes } from './configmap';

interface SetsResult {
  read: common.ConfigGroup;
  write: common.ConfigGroup;
  updated: boolean;
}

const versionOnly = <T extends { setVersion(v: number): void }>(make: () => T, version: number): T => {
  const m = make();
  m.setVersion(version);
  return m;
};

/**
 * The read set and write set turning `original` into `updated` (configtxlator's compute_update,
 * fabric internal/configtxlator/update): changed elements at version + 1, new ones at 0; a group
 * whose membership or mod_policy changes is bumped and lists its unchanged members by version.
 */
function computeGroupUpdate(original: common.ConfigGroup, updated: common.ConfigGroup): SetsResult {
  const read = new common.ConfigGroup();
  const write = new common.ConfigGroup();
  let membersChanged = original.getModPolicy() !== updated.getModPolicy();
  let contentChanged = false;
  const sameValues = new Map<string, common.ConfigValue>();
  const samePolicies = new Map<string, common.ConfigPolicy>();
  const sameGroups = new Map<string, common.ConfigGroup>();

  for (const [name, o] of original.getValuesMap().entries()) {
    const u = updated.getValuesMap().get(name);
    if (u === undefined) membersChanged = true;
    else if (
      o.getModPolicy() === u.getModPolicy() &&
      Buffer.from(o.getValue_asU8()).equals(Buffer.from(u.getValue_asU8()))
    ) {
      sameValues.set(
        name,
        versionOnly(() => new common.ConfigValue(), o.getVersion()),
      );
    } else {
      const w = new common.ConfigValue();
      w.setVersion(o.getVersion() + 1);
      w.setModPolicy(u.getModPolicy());
      w.setValue(u.getValue_asU8());
      write.getValuesMap().set(name, w);
      contentChanged = true;
    }
  }
  for (const [name, u] of updated.getValuesMap().entries()) {
    if (original.getValuesMap().has(name)) continue;
    membersChanged = true;
    const w = new common.ConfigValue();
    w.setModPolicy(u.getModPolicy());
    w.setValue(u.getValue_asU8());
    write.getValuesMap().set(name, w);
  }
  for (const [name, o] of original.getPoliciesMap().entries()) {
    const u = updated.getPoliciesMap().get(name);
    if (u === undefined) membersChanged = true;
    else if (o.getModPolicy() === u.getModPolicy() && policyBytes(o).equals(policyBytes(u))) {
      samePolicies.set(
        name,
        versionOnly(() => new common.ConfigPolicy(), o.getVersion()),
      );
    } else {
      const w = new common.ConfigPolicy();
      w.setVersion(o.getVersion() + 1);
      w.setModPolicy(u.getModPolicy());
      w.setPolicy(u.getPolicy());
      write.getPoliciesMap().set(name, w);
      contentChanged = true;
    }
  }
  for (const [name, u] of updated.getPoliciesMap().entries()) {
    if (original.getPoliciesMap().has(name)) continue;
    membersChanged = true;
    const w = new common.ConfigPolicy();
    w.setModPolicy(u.getModPolicy());
    w.setPolicy(u.getPolicy());
    write.getPoliciesMap().set(name, w);
  }
  for (const [name, o] of original.getGroupsMap().entries()) {
    const u = updated.getGroupsMap().get(name);
    if (u === undefined) {
      membersChanged = true;
      continue;
    }
    const child = computeGroupUpdate(o, u);
    if (!child.updated) sameGroups.set(name, child.read);
    else {
      read.getGroupsMap().set(name, child.read);
      write.getGroupsMap().set(name, child.write);
      contentChanged = true;
    }
  }
  for (const [name, u] of updated.getGroupsMap().entries()) {
    if (original.getGroupsMap().has(name)) continue;
    membersChanged = true;
    const child = computeGroupUpdate(new common.ConfigGroup(), u);
    child.write.setVersion(0);
    child.write.setModPolicy(u.getModPolicy());
    write.getGroupsMap().set(name, child.write);
  }

  read.setVersion(original.getVersion());
  if (!membersChanged) {
    write.setVersion(original.getVersion());
    return { read, write, updated: contentChanged };
  }
  for (const [n, v] of sameValues) {
    read.getValuesMap().set(n, v);
    write.getValuesMap().set(n, v);
  }
  for (const [n, p] of samePolicies) {
    read.getPoliciesMap().set(n, p);
    write.getPoliciesMap().set(n, p);
  }
  for (const [n, g] of sameGroups) {
    read.getGroupsMap().set(n, g);
    write.getGroupsMap().set(n, g);
  }
  write.setVersion(original.getVersion() + 1);
  write.setModPolicy(updated.getModPolicy());
  return { read, write, updated: true };
}

/**
 * The ConfigUpdate from `original` to `updated` for `channelId` (configtxlator compute_update).
 * @throws Error when the two configs do not differ.
 */
export function computeConfigUpdate(
  channelId: string,
  original: common.Config,
  updated: common.Config,
): common.ConfigUpdate {
  const o = original.getChannelGroup();
  const u = updated.getChannelGroup();
  if (o === undefined || u === undefined) throw new Error('both configs need a channel group');
  const { read, write, updated: changed } = computeGroupUpdate(o, u);
  if (!changed) throw new Error('no differences detected between original and updated config');
  const update = new common.ConfigUpdate();
  update.setChannelId(channelId);
  update.setReadSet(read);
  update.setWriteSet(write);
  return update;
}

/** One admin's signature over a config update (`peer channel signconfigtx`): ConfigSignature. */
export function signConfigUpdate(update: Uint8Array, signer: Signer): common.ConfigSignature {
  const shdr = makeSignatureHeader(signer).serializeBinary();
  const sig = new common.ConfigSignature();
  sig.setSignatureHeader(shdr);
  sig.setSignature(signer.sign(Buffer.concat([shdr, update])));
  return sig;
}

/**
 * The CONFIG_UPDATE envelope `peer channel update` broadcasts: the update signed by each of
 * `signers` (the mod_policies' admins), the envelope signed by `submitter`.
 */
export function configUpdateEnvelope(
  update: common.ConfigUpdate,
  signers: Signer[],
  submitter: Signer,
): common.Envelope {
  const bytes = update.serializeBinary();
  const env = new common.ConfigUpdateEnvelope();
  env.setConfigUpdate(bytes);
  env.setSignaturesList(signers.map((s) => signConfigUpdate(bytes, s)));
  return createSignedEnvelope({
    type: common.HeaderType.CONFIG_UPDATE,
    channelId: update.getChannelId(),
    signer: submitter,
    data: env,
  });
}
