import { common, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { PayloadView, TimestampView } from '../protoutil/views';
import { ConfigValidator } from '../configtx/validator';
import { dispatch, DispatchResources } from './dispatcher';
import { IdentityDeserializer, validateTransaction } from './msgvalidation';
import type { DecodedTxRwSet } from './rwset';
import { TxValidationFlags, validationCodeName } from './txflags';

const Code = peer.TxValidationCode;
const logger = getLogger('committer.txvalidator');

/** The channel resources the validator reads; re-read for every block so config updates take effect. */
export interface ValidatorResources extends DispatchResources {
  msps: IdentityDeserializer;
  /** The channel's current config: a CONFIG transaction must be its authorized successor. */
  config?: common.Config;
}

/** Construction options of {@link TxValidator}. */
export interface TxValidatorOptions {
  channelId: string;
  /** Current MSPs, policies, chaincode definitions and key-level policy source. */
  resources: () => ValidatorResources;
  /** True if a transaction with this id is already in the block store (any validation code). */
  txIdExists: (txId: string) => Promise<boolean>;
}

/** The validator's verdict on one transaction of a block. */
export interface ValidatedTx {
  txNum: number;
  code: number;
  /** Why it is invalid (never contains payload values). */
  reason?: string;
  /** The channel header's tx id, when the header decoded. */
  txId?: string;
  /** The channel header's timestamp (the history index records it), when the header decoded. */
  timestamp?: TimestampView;
  headerType?: number;
  chaincodeName?: string;
  /** The decoded read-write set of an endorser transaction that passed the policy checks. */
  rwset?: DecodedTxRwSet;
}

/** The result of validating a block before MVCC: flags plus what the commit needs of each transaction. */
export interface BlockValidation {
  flags: TxValidationFlags;
  txs: ValidatedTx[];
}

/**
 * Validates every transaction of a block (fabric core/committer/txvalidator/v20/validator.go): message
 * checks, duplicate tx ids against the ledger, then the chaincode dispatch (endorsement policy), all
 * transactions concurrently; then duplicate tx ids within the block among the valid ones. MVCC comes
 * after, serially, in {@link validateState}.
 */
export class TxValidator {
  constructor(private readonly opts: TxValidatorOptions) {}

  /** Validates a block; never throws for a bad transaction (it is marked), only for ledger failures. */
  async validate(block: common.Block): Promise<BlockValidation> {
    const blockNum = block.getHeader()!.getNumber();
    const data = block.getData()?.getDataList_asU8() ?? [];
    const resources = this.opts.resources();
    const started = Date.now();
    resources.keyLevel.prepareBlock?.(block);
    const txs = await Promise.all(
      data.map(async (d, i) => {
        // Signal every outcome, also failures: later txs of the block may wait on it (state-based endorsement).
        let tx: ValidatedTx | undefined;
        try {
          tx = await this.validateTx(d, blockNum, i, resources);
          return tx;
        } finally {
          resources.keyLevel.setTxValidationResult?.(blockNum, i, tx?.code === Code.VALID);
        }
      }),
    );
    markTxIdDuplicates(txs);
    const flags = new TxValidationFlags(txs.length);
    for (const tx of txs) {
      flags.setFlag(tx.txNum, tx.code);
      if (tx.code !== Code.VALID) {
        logger.warn(
          {
            block: blockNum,
            tx: tx.txNum,
            txId: tx.txId,
            code: validationCodeName(tx.code),
            reason: tx.reason,
          },
          'invalid transaction',
        );
      }
    }
    flags.assertAllValidated(blockNum);
    logger.debug({ block: blockNum, txs: txs.length, ms: Date.now() - started }, 'validated block');
    return { flags, txs };
  }

  private async validateTx(
    envBytes: Uint8Array,
    blockNum: number,
    txNum: number,
    res: ValidatorResources,
  ): Promise<ValidatedTx> {
    try {
      return await this.checkTx(envBytes, blockNum, txNum, res);
    } catch (e) {
      // A ledger failure must stop the commit (Fabric halts the channel); anything else marks the tx.
      if (e instanceof LedgerError) throw e;
      return { txNum, code: Code.INVALID_OTHER_REASON, reason: (e as Error).message };
    }
  }

  /**
   * A CONFIG transaction (fabric's committer, configtx Validate): its ConfigEnvelope must be what its
   * last_update yields from the current config, authorized by the mod_policies; the peer then
   * switches to the new config when the block commits.
   */
  private checkConfigTx(
    payload: PayloadView,
    base: Pick<ValidatedTx, 'txNum' | 'txId' | 'headerType'>,
    res: ValidatorResources,
  ): ValidatedTx {
    if (res.config === undefined) {
      return {
        ...base,
        code: Code.INVALID_CONFIG_TRANSACTION,
        reason: 'no channel config to validate against',
      };
    }
    try {
      const env = common.ConfigEnvelope.deserializeBinary(payload.data);
      new ConfigValidator(this.opts.channelId, res.config, res.policies).validate(env);
      return { ...base, code: Code.VALID };
    } catch (e) {
      return { ...base, code: Code.INVALID_CONFIG_TRANSACTION, reason: (e as Error).message };
    }
  }

  private async checkTx(
    envBytes: Uint8Array,
    blockNum: number,
    txNum: number,
    res: ValidatorResources,
  ): Promise<ValidatedTx> {
    const checked = await validateTransaction(envBytes, this.opts.channelId, res.msps);
    if (!checked.tx) return { txNum, code: checked.code, reason: checked.reason };
    const chdr = checked.tx.channelHeader;
    const base = { txNum, txId: chdr.txId, headerType: chdr.type, timestamp: chdr.timestamp };
    if (chdr.type === common.HeaderType.CONFIG) return this.checkConfigTx(checked.tx.payload, base, res);
    let exists: boolean;
    try {
      exists = await this.opts.txIdExists(chdr.txId);
    } catch (e) {
      throw new LedgerError(
        `ledger failure while checking for duplicate txid ${chdr.txId}: ${(e as Error).message}`,
      );
    }
    if (exists)
      return { ...base, code: Code.DUPLICATE_TXID, reason: 'duplicate transaction found in the ledger' };
    const result = await dispatch(checked.tx, blockNum, txNum, res);
    return {
      ...base,
      code: result.code,
      reason: result.reason,
      chaincodeName: result.chaincodeName,
      rwset: result.rwset,
    };
  }
}

/** A failure to read the ledger during validation: the block cannot be committed. */
export class LedgerError extends Error {}

/** Marks a VALID transaction whose tx id equals that of an earlier VALID one in the block (validator.go markTXIdDuplicates). */
export function markTxIdDuplicates(txs: ValidatedTx[]): void {
  const seen = new Set<string>();
  for (const tx of txs) {
    if (tx.code !== Code.VALID || !tx.txId) continue;
    if (seen.has(tx.txId)) {
      tx.code = Code.DUPLICATE_TXID;
      tx.reason = 'duplicate txid earlier in this block';
    } else {
      seen.add(tx.txId);
    }
  }
}
