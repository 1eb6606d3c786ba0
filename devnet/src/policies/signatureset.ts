import { getLogger } from '../common/logging';
import type { Identity } from '../msp/identity';
import type { MSPManager } from '../msp/mspmgr';
import type { SignedData } from '../protoutil/signeddata';

const logger = getLogger('policies');

/**
 * Signature checks by SignedData object. A transaction's endorsements are evaluated against several policies
 * (the chaincode's, key-level ones, a collection's) over the same SignedData objects; each signature needs
 * ECDSA once. The outcome depends only on the object's bytes (the identity's key comes from its own bytes),
 * which no caller changes; whether the identity is valid is asked again on every evaluation.
 */
const verified = new WeakMap<SignedData, boolean>();

/**
 * Whether `identity` (deserialized from `sd.identity`) signed `sd.data`, verified once per SignedData object
 * (see {@link verified}).
 */
export function verifySignedData(identity: Pick<Identity, 'verify'>, sd: SignedData): boolean {
  let valid = verified.get(sd);
  if (valid === undefined) {
    valid = identity.verify(sd.data, sd.signature);
    verified.set(sd, valid);
  }
  return valid;
}

/** Something that turns serialized identities into validated identities (an MSPManager). */
export type IdentityDeserializer = Pick<MSPManager, 'deserializeIdentity'>;

/**
 * The identities whose signatures are valid, each once (fabric SignatureSetToValidIdentities):
 * undeserializable identities and bad signatures are dropped, and an identity already accepted is
 * not checked again, so one signer cannot count twice or make us verify thousands of copies.
 */
export function signatureSetToValidIdentities(
  signedData: SignedData[],
  msps: IdentityDeserializer,
): Identity[] {
  const seen = new Set<string>();
  const identities: Identity[] = [];
  signedData.forEach((sd, i) => {
    let identity: Identity;
    try {
      identity = msps.deserializeIdentity(sd.identity);
    } catch (err) {
      logger.warn({ index: i, err: (err as Error).message }, 'invalid identity in signature set');
      return;
    }
    const key = identity.mspId + identity.id;
    if (seen.has(key)) {
      logger.debug({ index: i, mspId: identity.mspId }, 'de-duplicating identity in signature set');
      return;
    }
    if (!verifySignedData(identity, sd)) {
      logger.warn({ index: i, mspId: identity.mspId }, 'signature in signature set is invalid');
      return;
    }
    seen.add(key);
    identities.push(identity);
  });
  return identities;
}
