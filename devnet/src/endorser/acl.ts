import type { peer } from '@hyperledger/fabric-protos';
import { checkChannelACL } from '../aclmgmt';
import type { EndorserBundle } from './deps';

/** Fabric's resource name for proposals (core/aclmgmt/resources Peer_Propose). */
export const PEER_PROPOSE = 'peer/Propose';
/** Fabric's default policy for `peer/Propose`. */
export const DEFAULT_PROPOSE_POLICY = '/Channel/Application/Writers';

/**
 * Checks the proposal's creator against the `peer/Propose` ACL (Fabric's aclmgmt CheckACL with a
 * SignedProposal: signed data = proposal bytes, creator, signature). Throws with Fabric's text.
 */
export function checkProposeACL(
  bundle: EndorserBundle,
  signed: peer.SignedProposal,
  creator: Uint8Array,
): void {
  checkChannelACL(bundle, PEER_PROPOSE, DEFAULT_PROPOSE_POLICY, signed, creator);
}
