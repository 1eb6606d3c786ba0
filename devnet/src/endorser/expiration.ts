import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import type { UnpackedProposal } from '../protoutil';

/**
 * Fabric's ExpirationCheck auth filter (core/handlers/auth/filter/expiration.go), which the peer runs
 * before the endorser: a proposal whose creator certificate has expired is refused with
 * "proposal client identity expired". A creator that is not an X.509 identity has no expiry.
 */
export function checkCreatorNotExpired(up: UnpackedProposal, now: Date = new Date()): void {
  const expiresAt = creatorExpiry(up.signatureHeader.getCreator_asU8());
  if (expiresAt !== undefined && now.getTime() > expiresAt.getTime()) {
    throw new Error('proposal client identity expired');
  }
}

function creatorExpiry(creator: Uint8Array): Date | undefined {
  try {
    const sid = msp.SerializedIdentity.deserializeBinary(creator);
    return new Date(new X509Certificate(Buffer.from(sid.getIdBytes_asU8())).validTo);
  } catch {
    return undefined;
  }
}
