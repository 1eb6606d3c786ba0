import { expiresAt } from '../common/deliver/expiresat';
import type { UnpackedProposal } from '../protoutil';

/**
 * Fabric's ExpirationCheck auth filter (core/handlers/auth/filter/expiration.go), which the peer runs
 * before the endorser: a proposal whose creator certificate has expired is refused with
 * "proposal client identity expired". A creator that is not an X.509 identity has no expiry.
 */
export function checkCreatorNotExpired(up: UnpackedProposal, now: Date = new Date()): void {
  const expiry = expiresAt(up.signatureHeader.getCreator_asU8());
  if (expiry !== undefined && now.getTime() > expiry.getTime()) {
    throw new Error('proposal client identity expired');
  }
}
