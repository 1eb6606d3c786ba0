import { common } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace } from '../ledger/pvtdatastorage/namespaces';
import { deserializeMetadata } from '../ledger/txmgr/statemetadata';
import { endorserActionOf } from '../protoutil/endorseraction';
import { decodeTxRwSet, type DecodedTxRwSet } from './rwset';
import type { KeyLevelPolicySource, PolicyLike } from './vscc';
import { ValidationParameterUpdatedError } from './vscc';

/** Fabric's metadata key of a key-level endorsement policy. */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** What the manager reads: committed state (not the block's pending updates, as Fabric's StateFetcher). */
export interface KeyMetadataReader {
  get(ns: string, key: string): Promise<{ metadata?: Uint8Array } | undefined>;
}

/** Construction options of {@link KeyLevelValidationParameterManager}. */
export interface KeyLevelOptions {
  state: KeyMetadataReader;
  /** Compiles a SignaturePolicyEnvelope with the channel's current MSPs (policies/newSignaturePolicy). */
  newPolicy: (envelope: common.SignaturePolicyEnvelope) => PolicyLike;
}

interface BlockContext {
  blockNum: number;
  /** ledger key id → tx numbers in this block that write the key's metadata. */
  writers: Map<string, number[]>;
  /** txNum → resolves with true when that tx passed validation. */
  results: Map<number, { promise: Promise<boolean>; resolve: (valid: boolean) => void }>;
  /** txNum → its read-write set as decoded here, until the dispatcher takes it ({@link KeyLevelValidationParameterManager.takeDecodedRwSet}). */
  rwsets: Map<number, DecodedTxRwSet>;
}

/**
 * A ledger key's id in {@link BlockContext.writers}: namespace and collection names hold no U+0000
 * (Fabric's name rules), so they end where it first appears and the key is the rest.
 */
function keyId(ns: string, coll: string, key: string): string {
  return `${ns}\u0000${coll}\u0000${key}`;
}

/**
 * Key-level (state-based) endorsement policies (Fabric's statebased KeyLevelValidationParameterManager,
 * vpmanagerimpl.go). Before a block is validated, {@link prepareBlock} notes which transactions write a
 * key's metadata; {@link policyForKey} then waits for every earlier transaction of the block that writes
 * that key's metadata and throws {@link ValidationParameterUpdatedError} if one of them is valid (the tx
 * becomes ENDORSEMENT_POLICY_FAILURE); else it returns the VALIDATION_PARAMETER policy committed for the
 * key, or undefined. Hashed private keys are named by the hex hash of the key and their collection.
 */
export class KeyLevelValidationParameterManager implements KeyLevelPolicySource {
  private ctx: BlockContext | undefined;

  constructor(private readonly opts: KeyLevelOptions) {}

  /** Extracts the metadata-write dependencies of every transaction of the block (ExtractValidationParameterDependency). */
  prepareBlock(block: common.Block): void {
    const blockNum = block.getHeader()!.getNumber();
    const ctx: BlockContext = { blockNum, writers: new Map(), results: new Map(), rwsets: new Map() };
    const data = block.getData()?.getDataList_asU8() ?? [];
    data.forEach((envBytes, txNum) => {
      const rwset = endorserRwSetOf(envBytes);
      if (rwset === undefined) return;
      ctx.rwsets.set(txNum, rwset);
      for (const id of metadataWritesIn(rwset)) {
        const list = ctx.writers.get(id) ?? [];
        list.push(txNum);
        ctx.writers.set(id, list);
      }
    });
    this.ctx = ctx;
  }

  /**
   * The read-write set of transaction `txNum` of the block being validated, as {@link prepareBlock} decoded it
   * from the same bytes, handed over once so the dispatcher does not decode it again.
   */
  takeDecodedRwSet(blockNum: number, txNum: number): DecodedTxRwSet | undefined {
    const ctx = this.ctx;
    if (ctx?.blockNum !== blockNum) return undefined;
    const rwset = ctx.rwsets.get(txNum);
    ctx.rwsets.delete(txNum);
    return rwset;
  }

  /** Records a transaction's outcome (SetTxValidationResult); later transactions may be waiting for it. */
  setTxValidationResult(blockNum: number, txNum: number, valid: boolean): void {
    if (this.ctx?.blockNum === blockNum) this.result(this.ctx, txNum).resolve(valid);
  }

  /** The key's policy; throws ValidationParameterUpdatedError when an earlier valid tx of the block changed it. */
  async policyForKey(
    ns: string,
    key: string,
    blockNum: number,
    txNum: number,
    collection = '',
  ): Promise<PolicyLike | undefined> {
    const ctx = this.ctx;
    if (ctx?.blockNum === blockNum && ctx.writers.size > 0) {
      for (const dep of ctx.writers.get(keyId(ns, collection, key)) ?? []) {
        if (dep < txNum && (await this.result(ctx, dep).promise)) {
          throw new ValidationParameterUpdatedError(
            `validation parameters for key [${key}] in namespace [${ns}:${collection}] have been changed in transaction ${txNum} of block ${blockNum}`,
          );
        }
      }
    }
    const stored =
      collection === ''
        ? await this.opts.state.get(ns, key)
        : await this.opts.state.get(hashedNamespace(ns, collection), key);
    const vp = deserializeMetadata(stored?.metadata)?.[VALIDATION_PARAMETER];
    if (!vp || vp.length === 0) return undefined;
    let envelope: common.SignaturePolicyEnvelope;
    try {
      envelope = common.SignaturePolicyEnvelope.deserializeBinary(vp);
    } catch (e) {
      throw new Error(
        `could not translate policy for ${ns}:${collection === '' ? key : `${collection}:${key}`}: could not unmarshal signature policy envelope: ${(e as Error).message}`,
      );
    }
    return this.opts.newPolicy(envelope);
  }

  private result(
    ctx: BlockContext,
    txNum: number,
  ): { promise: Promise<boolean>; resolve: (valid: boolean) => void } {
    let r = ctx.results.get(txNum);
    if (!r) {
      let resolve!: (valid: boolean) => void;
      const promise = new Promise<boolean>((res) => (resolve = res));
      r = { promise, resolve };
      ctx.results.set(txNum, r);
    }
    return r;
  }
}

/** The ledger key ids whose metadata an endorser transaction writes; [] for anything that does not decode. */
export function metadataWritesOf(envBytes: Uint8Array): string[] {
  const rwset = endorserRwSetOf(envBytes);
  return rwset === undefined ? [] : metadataWritesIn(rwset);
}

/** The decoded read-write set of an endorser transaction; undefined for anything else or what does not decode. */
function endorserRwSetOf(envBytes: Uint8Array): DecodedTxRwSet | undefined {
  try {
    const action = endorserActionOf(envBytes);
    return action && decodeTxRwSet(action.chaincodeAction.results);
  } catch {
    return undefined;
  }
}

function metadataWritesIn(rwset: DecodedTxRwSet): string[] {
  const ids: string[] = [];
  for (const ns of rwset.namespaces) {
    for (const mw of ns.kv.metadataWrites) ids.push(keyId(ns.namespace, '', mw.key));
    for (const { collection, rwset: hashed } of ns.hashed ?? []) {
      for (const mw of hashed.metadataWrites)
        ids.push(keyId(ns.namespace, collection, hashedKey(mw.keyHash)));
    }
  }
  return ids;
}
