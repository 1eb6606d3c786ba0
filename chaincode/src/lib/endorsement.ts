import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';

/**
 * State-based (key-level) endorsement. A key's validation parameter replaces the chaincode's
 * endorsement policy for writes to that key, and every peer enforces it at commit: a change
 * endorsed without the required organization is committed as ENDORSEMENT_POLICY_FAILURE and
 * changes nothing, even when a client bypasses the gateway and picks its own endorsers. Fabric
 * keeps the parameter when later transactions update the key's value.
 */

/** Role fabric-shim's KeyEndorsementPolicy uses to require a peer of an organization. */
const PEER_ROLE = 'PEER';

/**
 * Serialized policies by MSP ID: a function of the MSP ID alone, built once per process (every
 * registration sets one, and fabric-shim builds the protobuf message anew each time).
 */
const policyBytes = new Map<string, Uint8Array>();

/** Most MSP IDs whose policy is kept (a channel has a handful of ministries). */
const MAX_CACHED_POLICIES = 64;

/** The key-level policy "a peer of `mspId` endorses", serialized as Fabric expects it. */
export function issuerEndorsementPolicy(mspId: string): Uint8Array {
  let bytes = policyBytes.get(mspId);
  if (bytes === undefined) {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs(PEER_ROLE, mspId);
    bytes = policy.getPolicy();
    if (policyBytes.size >= MAX_CACHED_POLICIES) policyBytes.clear();
    policyBytes.set(mspId, bytes);
  }
  // a copy: the caller (fabric-shim) may keep or change what it is given
  return Uint8Array.from(bytes);
}

/** Requires a peer of `mspId` to endorse every later change of `key`. */
export async function requireEndorsementBy(ctx: Context, key: string, mspId: string): Promise<void> {
  await ctx.stub.setStateValidationParameter(key, issuerEndorsementPolicy(mspId));
}

/** The organizations whose peers must endorse changes of `key` (empty when the chaincode policy applies). */
export async function requiredEndorsers(ctx: Context, key: string): Promise<string[]> {
  const parameter = await ctx.stub.getStateValidationParameter(key);
  if (!parameter || parameter.length === 0) {
    return [];
  }
  return new KeyEndorsementPolicy(parameter).listOrgs();
}
