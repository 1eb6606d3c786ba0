import type { common } from '@hyperledger/fabric-protos';
import { hashedKey } from '../ledger/pvtdatastorage/namespaces';
import type { DecodedNsRwSet, DecodedTxRwSet } from './rwset';
import type { EndorsementView } from '../protoutil/views';

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
  /** `collection` is set for a hashed private key; `key` is then the hex hash of the key. */
  policyForKey(
    namespace: string,
    key: string,
    blockNum: number,
    txNum: number,
    collection?: string,
  ): Promise<PolicyLike | undefined>;
  /** Called once per block before its transactions are validated (dependency extraction). */
  prepareBlock?(block: common.Block): void;
  /**
   * The transaction's read-write set if {@link prepareBlock} decoded it (from the same block's bytes), given
   * once; the dispatcher decodes it itself otherwise.
   */
  takeDecodedRwSet?(blockNum: number, txNum: number): DecodedTxRwSet | undefined;
  /** Called once per transaction with its outcome; later transactions of the block may wait for it. */
  setTxValidationResult?(blockNum: number, txNum: number, valid: boolean): void;
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
  endorsements: readonly EndorsementView[],
): SignedData[] {
  return endorsements.map((e) => {
    const endorser = e.endorser;
    const data = new Uint8Array(proposalResponsePayload.length + endorser.length);
    data.set(proposalResponsePayload, 0);
    data.set(endorser, proposalResponsePayload.length);
    return { data, identity: endorser, signature: e.signature };
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
  /**
   * A collection's own endorsement policy (undefined = none: the chaincode's applies); throws
   * naming the collection when it is not defined.
   */
  collectionPolicy?: (collection: string) => PolicyLike | undefined;
}

/**
 * Fabric's v20 builtin validation (handlers/validation/builtin/v20 + statebased/v20.go): every public write,
 * metadata write, hashed private write and hashed metadata write of the namespace must satisfy the key's
 * validation parameter if it has one, else the collection's endorsement policy (if it has one) or the
 * chaincode endorsement policy (each checked once); the chaincode policy is always checked if no policy was.
 * Throws {@link EndorsementPolicyError}.
 */
export async function validateEndorsements(check: EndorsementCheck): Promise<void> {
  const checked = new Set<string>();
  let someChecked = false;
  const checkDefaultPolicy = (coll: string): void => {
    if (coll !== '' && !checked.has(coll)) {
      let collPolicy: PolicyLike | undefined;
      try {
        collPolicy = check.collectionPolicy?.(coll);
      } catch (e) {
        throw new EndorsementPolicyError((e as Error).message);
      }
      if (collPolicy) {
        evaluate(
          collPolicy,
          check.signedData,
          `validation of endorsement policy for collection ${coll} chaincode ${check.namespace} in tx ${check.blockNum}:${check.txNum}`,
        );
        checked.add(coll);
        someChecked = true;
        return;
      }
    }
    if (coll !== '' && checked.has(coll)) return;
    if (checked.has('')) return;
    evaluate(
      check.chaincodePolicy,
      check.signedData,
      `validation of endorsement policy for chaincode ${check.namespace} in tx ${check.blockNum}:${check.txNum}`,
    );
    checked.add('');
    someChecked = true;
  };
  const checkKey = async (coll: string, key: string): Promise<void> => {
    let keyPolicy: PolicyLike | undefined;
    try {
      keyPolicy = await check.keyLevel.policyForKey(
        check.namespace,
        key,
        check.blockNum,
        check.txNum,
        coll === '' ? undefined : coll,
      );
    } catch (e) {
      throw new EndorsementPolicyError((e as Error).message);
    }
    if (!keyPolicy) {
      checkDefaultPolicy(coll);
      return;
    }
    evaluate(
      keyPolicy,
      check.signedData,
      `validation of key ${key} (coll'${coll}':ns'${check.namespace}') in tx ${check.blockNum}:${check.txNum}`,
    );
    someChecked = true;
  };
  for (const ns of check.nsRwSets) {
    if (ns.namespace !== check.namespace) continue;
    for (const w of ns.kv.writes) await checkKey('', w.key);
    for (const w of ns.kv.metadataWrites) await checkKey('', w.key);
    for (const c of ns.hashed ?? []) {
      for (const w of c.rwset.hashedWrites) await checkKey(c.collection, hashedKey(w.keyHash));
    }
    for (const c of ns.hashed ?? []) {
      for (const w of c.rwset.metadataWrites) await checkKey(c.collection, hashedKey(w.keyHash));
    }
  }
  if (!someChecked) {
    evaluate(
      check.chaincodePolicy,
      check.signedData,
      `validation of endorsement policy for chaincode ${check.namespace} in tx ${check.blockNum}:${check.txNum}`,
    );
  }
}

function evaluate(policy: PolicyLike, signedData: SignedData[], what: string): void {
  try {
    policy.evaluate(signedData);
  } catch (e) {
    throw new EndorsementPolicyError(`${what} failed: ${(e as Error).message}`);
  }
}
