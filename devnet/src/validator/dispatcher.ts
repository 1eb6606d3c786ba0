import { common, peer } from '@hyperledger/fabric-protos';
import {
  ChaincodeActionView,
  readChaincodeAction,
  readChaincodeEvent,
  readChaincodeHeaderExtension,
} from '../protoutil/views';
import type { CheckedTransaction } from './msgvalidation';
import { decodeTxRwSet, DecodedTxRwSet, writesToNamespace } from './rwset';
import {
  endorsementSignedData,
  EndorsementPolicyError,
  KeyLevelPolicySource,
  PolicyLike,
  validateEndorsements,
} from './vscc';

const Code = peer.TxValidationCode;

/** What the validator reads of a chaincode definition (the shape of chaincode's `ChaincodeDefinition`). */
export interface ValidationInfo {
  name: string;
  version: string;
  /** A reference to a channel policy, or (from a `_lifecycle` definition) a signature policy. */
  endorsementPolicy: { channelConfigPolicy: string; signaturePolicy?: common.SignaturePolicyEnvelope };
}

/** Where the dispatcher finds definitions and policies: the channel's definitions and the Bundle's PolicyManager. */
export interface DispatchResources {
  definition(chaincodeName: string): ValidationInfo | undefined;
  policies: { getPolicy(path: string): PolicyLike | undefined };
  keyLevel: KeyLevelPolicySource;
  /** Builds a definition's signature policy (ApplicationPolicy.signature_policy) over the channel's MSPs. */
  signaturePolicy?(envelope: common.SignaturePolicyEnvelope): PolicyLike;
  /** A collection's own endorsement policy (undefined = the chaincode's); throws for an undefined collection. */
  collectionPolicy?(chaincodeName: string, collection: string): PolicyLike | undefined;
}

/** Outcome of dispatching one endorser transaction. */
export interface DispatchResult {
  code: number;
  reason?: string;
  /** The decoded read-write set (set when it decoded), for MVCC and the commit. */
  rwset?: DecodedTxRwSet;
  chaincodeName?: string;
}

function fail(code: number, reason: string, rest: Partial<DispatchResult> = {}): DispatchResult {
  return { code, reason, ...rest };
}

function decode<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Fabric's plugin dispatcher (core/committer/txvalidator/v20/plugindispatcher/dispatcher.go) followed by the
 * builtin v20 validation plugin: decodes the chaincode action, checks chaincode ids and events, refuses
 * duplicate namespaces and writes outside the invoked chaincode's namespace (ILLEGAL_WRITESET: devnet has no
 * chaincode-to-chaincode writes; Fabric would validate such writes against the other chaincode's policy),
 * and evaluates the endorsement policy from the chaincode definition (ENDORSEMENT_POLICY_FAILURE).
 */
export async function dispatch(
  tx: CheckedTransaction,
  blockNum: number,
  txNum: number,
  res: DispatchResources,
): Promise<DispatchResult> {
  const action = tx.action!;
  const hdrExt = decode(() => readChaincodeHeaderExtension(tx.channelHeader.extension));
  if (!hdrExt) return fail(Code.BAD_HEADER_EXTENSION, 'could not unmarshal ChaincodeHeaderExtension');
  const ccAction = decode(() => readChaincodeAction(action.proposalResponse.extension));
  if (!ccAction) return fail(Code.BAD_RESPONSE_PAYLOAD, 'could not unmarshal ChaincodeAction');
  let rwset: DecodedTxRwSet;
  try {
    rwset = res.keyLevel.takeDecodedRwSet?.(blockNum, txNum) ?? decodeTxRwSet(ccAction.results);
  } catch (e) {
    return fail(Code.BAD_RWSET, (e as Error).message);
  }
  const hdrCc = hdrExt.chaincodeId;
  const respCc = ccAction.chaincodeId;
  if (!hdrCc) return fail(Code.INVALID_OTHER_REASON, 'nil ChaincodeId in header extension', { rwset });
  if (!respCc) return fail(Code.INVALID_OTHER_REASON, 'nil ChaincodeId in ChaincodeAction', { rwset });
  const ccName = hdrCc.name;
  if (ccName === '') return fail(Code.INVALID_CHAINCODE, 'invalid chaincode ID', { rwset });
  if (ccName !== respCc.name)
    return fail(Code.INVALID_CHAINCODE, `inconsistent ccid info (${ccName}/${respCc.name})`, { rwset });
  if (respCc.version === '') return fail(Code.INVALID_CHAINCODE, 'invalid chaincode version', { rwset });
  const eventError = checkEvent(ccAction, ccName);
  if (eventError) return fail(Code.INVALID_OTHER_REASON, eventError, { rwset });
  const writeError = checkNamespaces(rwset, ccName);
  if (writeError) return fail(Code.ILLEGAL_WRITESET, writeError, { rwset });
  const definition = res.definition(ccName);
  if (!definition)
    return fail(Code.INVALID_CHAINCODE, `chaincode ${ccName} is not defined on this channel`, { rwset });
  const policyPath = definition.endorsementPolicy.channelConfigPolicy;
  const signaturePolicy = definition.endorsementPolicy.signaturePolicy;
  const chaincodePolicy =
    signaturePolicy && res.signaturePolicy
      ? res.signaturePolicy(signaturePolicy)
      : res.policies.getPolicy(policyPath);
  if (!chaincodePolicy)
    return fail(Code.ENDORSEMENT_POLICY_FAILURE, `policy ${policyPath} not found`, { rwset });
  const signedData = endorsementSignedData(action.proposalResponsePayload, action.endorsements);
  try {
    await validateEndorsements({
      namespace: ccName,
      nsRwSets: rwset.namespaces,
      signedData,
      chaincodePolicy,
      keyLevel: res.keyLevel,
      blockNum,
      txNum,
      collectionPolicy: res.collectionPolicy ? (coll) => res.collectionPolicy!(ccName, coll) : undefined,
    });
  } catch (e) {
    const code =
      e instanceof EndorsementPolicyError ? Code.ENDORSEMENT_POLICY_FAILURE : Code.INVALID_OTHER_REASON;
    return fail(code, (e as Error).message, { rwset });
  }
  return { code: Code.VALID, rwset, chaincodeName: ccName };
}

/** The chaincode event, if any, must name the invoked chaincode. */
function checkEvent(ccAction: ChaincodeActionView, ccName: string): string | undefined {
  const bytes = ccAction.events;
  if (bytes.length === 0) return undefined;
  const event = decode(() => readChaincodeEvent(bytes));
  if (!event) return 'invalid chaincode event';
  if (event.chaincodeId !== ccName)
    return 'chaincode event chaincode id does not match chaincode action chaincode id';
  return undefined;
}

/** No namespace twice; writes only to the invoked chaincode's namespace. */
function checkNamespaces(rwset: DecodedTxRwSet, ccName: string): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < rwset.namespaces.length; i++) {
    const ns = rwset.namespaces[i];
    if (seen.has(ns.namespace)) return `duplicate namespace '${ns.namespace}' in txRWSet`;
    seen.add(ns.namespace);
    if (ns.namespace !== ccName && writesToNamespace(ns)) {
      return `transaction of chaincode ${ccName} writes to namespace '${ns.namespace}'`;
    }
  }
  return undefined;
}
