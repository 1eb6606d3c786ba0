import { common } from '@hyperledger/fabric-protos';
import type { UnpackedProposal } from '../protoutil';
import { computeTxId } from '../protoutil';
import { signedProposalAsSignedData } from '../protoutil/signeddata';
import { verifySignedData } from '../policies/signatureset';
import type { EndorserBundle } from './deps';

/**
 * Fabric's UnpackedProposal.Validate (core/endorser/msgvalidation.go): header type, epoch, nonce,
 * creator, txid = SHA-256(nonce ‖ creator), then the creator must deserialize in the channel's MSPs,
 * be valid, and have signed the proposal bytes. Throws with Fabric's texts; the access-denied ones
 * deliberately say no more than Fabric does.
 */
export function validateProposal(up: UnpackedProposal, bundle: EndorserBundle): void {
  const chdr = up.channelHeader;
  const type = chdr.getType();
  if (type !== common.HeaderType.ENDORSER_TRANSACTION && type !== common.HeaderType.CONFIG) {
    throw new Error(`invalid header type ${headerTypeName(type)}`);
  }
  if (chdr.getEpoch() !== 0) {
    throw new Error('epoch is non-zero');
  }
  const nonce = up.signatureHeader.getNonce_asU8();
  const creator = up.signatureHeader.getCreator_asU8();
  if (nonce.length === 0) throw new Error('nonce is empty');
  if (creator.length === 0) throw new Error('creator is empty');
  const expected = computeTxId(nonce, creator);
  if (chdr.getTxId() !== expected) {
    throw new Error(`incorrectly computed txid '${chdr.getTxId()}' -- expected '${expected}'`);
  }
  if (up.signedProposal.getProposalBytes_asU8().length === 0) throw new Error('empty proposal bytes');
  if (up.signedProposal.getSignature_asU8().length === 0) throw new Error('empty signature bytes');

  const channel = chdr.getChannelId();
  let identity;
  try {
    identity = bundle.msps.deserializeIdentity(creator);
  } catch {
    throw new Error(`access denied: channel [${channel}] creator org unknown, creator is malformed`);
  }
  // Verified once per proposal: the peer/Propose ACL check that follows judges the same SignedData.
  // The error is built only on failure: an Error captures a stack, a cost every valid proposal paid.
  if (!verifySignedData(identity, signedProposalAsSignedData(up.signedProposal, creator)))
    throw new Error(`access denied: channel [${channel}] creator org [${identity.mspId}]`);
}

function headerTypeName(type: number): string {
  const entry = Object.entries(common.HeaderType).find(([, v]) => v === type);
  return entry ? entry[0] : String(type);
}
