import { peer } from '@hyperledger/fabric-protos';
import type { DecodedNsRwSet } from './rwset';

/** One signature to evaluate against a policy (the shape of `policies.SignedData`). */
export interface SignedData {
  data: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
}

/** A policy as `policies.Policy`: `evaluate` throws (a PolicyError naming the policy) when not satisfied. */
export interface PolicyLike {
  evaluate(signedData: SignedData[]): void;
}

/**
 * The hook for key-level (state-based) endorsement (fabric core/common/validation/statebased): returns the
 * policy a write to `(namespace, key)` must satisfy instead of the chaincode's policy, or undefined when the
 * key carries no VALIDATION_PARAMETER metadata. An implementation must also refuse (throw
 * {@link ValidationParameterUpdatedError}) when an earlier transaction of the same block changed that key's
 * parameter, as Fabric's vpmanagerimpl.go does.
 */
export interface KeyLevelPolicySource {
  policyForKey(
    namespace: string,
    key: string,
    blockNum: number,
    txNum: number,
  ): Promise<PolicyLike | undefined>;
}

/** Thrown by a {@link KeyLevelPolicySource} when the key's validation parameter was updated earlier in the block. */
export class ValidationParameterUpdatedError extends Error {}

/** The default until state-based endorsement lands: no key has a validation parameter. */
export const noKeyLevelPolicies: KeyLevelPolicySource = {
  policyForKey: () => Promise.resolve(undefined),
};

/**
 * The signature set of an endorsed action (fabric statebased/validator_keylevel.go): each endorsement signs
 * proposal_response_payload ‖ endorser, with the endorser as identity.
 */
export function endorsementSignedData(
  proposalResponsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): SignedData[] {
  return endorsements.map((e) => {
    const endorser = e.getEndorser_asU8();
    const data = new Uint8Array(proposalResponsePayload.length + endorser.length);
    data.set(proposalResponsePayload, 0);
    data.set(endorser, proposalResponsePayload.length);
    return { data, identity: endorser, signature: e.getSignature_asU8() };
  });
}

/** Why an endorsement policy check failed (maps to ENDORSEMENT_POLICY_FAILURE). */
export class EndorsementPolicyError extends Error {}

/** Everything {@link validateEndorsements} needs for one written namespace of one transaction. */
export interface EndorsementCheck {
  namespace: string;
  nsRwSets: DecodedNsRwSet[];
  signedData: SignedData[];
  chaincodePolicy: PolicyLike;
  keyLevel: KeyLevelPolicySource;
  blockNum: number;
  txNum: number;
}

/**
 * Fabric's v20 builtin validation (handlers/validation/builtin/v20 + statebased/v20.go): every public write
 * and metadata write of the namespace must satisfy the key's validation parameter if it has one, else the
 * chaincode endorsement policy (checked once); the chaincode policy is always checked if no policy was.
 * Throws {@link EndorsementPolicyError}.
 */
export async function validateEndorsements(check: EndorsementCheck): Promise<void> {
  let ccPolicyChecked = false;
  let keyPolicyChecked = false;
  const checkChaincodePolicy = (): void => {
    if (ccPolicyChecked) return;
    evaluate(check.chaincodePolicy, check.signedData, `chaincode ${check.namespace} endorsement policy`);
    ccPolicyChecked = true;
  };
  for (const ns of check.nsRwSets) {
    if (ns.namespace !== check.namespace) continue;
    const keys = [
      ...ns.kv.getWritesList().map((w) => w.getKey()),
      ...ns.kv.getMetadataWritesList().map((w) => w.getKey()),
    ];
    for (const key of keys) {
      let keyPolicy: PolicyLike | undefined;
      try {
        keyPolicy = await check.keyLevel.policyForKey(check.namespace, key, check.blockNum, check.txNum);
      } catch (e) {
        throw new EndorsementPolicyError((e as Error).message);
      }
      if (!keyPolicy) {
        checkChaincodePolicy();
        continue;
      }
      evaluate(
        keyPolicy,
        check.signedData,
        `validation of key ${key} (ns '${check.namespace}') in tx ${check.blockNum}:${check.txNum}`,
      );
      keyPolicyChecked = true;
    }
  }
  if (!keyPolicyChecked) checkChaincodePolicy();
}

function evaluate(policy: PolicyLike, signedData: SignedData[], what: string): void {
  try {
    policy.evaluate(signedData);
  } catch (e) {
    throw new EndorsementPolicyError(`${what} failed: ${(e as Error).message}`);
  }
}
