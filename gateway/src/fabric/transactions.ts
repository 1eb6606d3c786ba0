import { Contract, GatewayError } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { metrics } from '../ops/metrics';
import { validationCodeName } from './errors';

/** A transaction's status as the ledger records it. */
export interface TransactionStatus {
  transactionId: string;
  /** True when it committed as VALID (its writes are in the world state). */
  valid: boolean;
  /** The validation code's name: `VALID`, `MVCC_READ_CONFLICT`, ... */
  validationCode: string;
  blockNumber: number;
}

/** Looks transactions up in the ledger; the Fabric implementation is {@link QsccTransactionLookup}. */
export interface TransactionLookup {
  /** The transaction's status, or undefined when the ledger does not hold it (yet). */
  lookup(transactionId: string): Promise<TransactionStatus | undefined>;
}

/** qscc's answer for an id it does not hold (Fabric core/scc/qscc: `no such transaction ID`). */
const NOT_IN_LEDGER = /no such transaction ID/i;

function notInLedger(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return false;
  return [err.message, ...err.details.map((d) => d.message)].some((text) => NOT_IN_LEDGER.test(text));
}

/**
 * {@link TransactionLookup} through the query system chaincode (`qscc` GetTransactionByID and
 * GetBlockByTxID), as any Fabric client can: the answer comes from the peer's ledger, so it holds
 * after a gateway restart. `qscc` is `network.getContract('qscc')`.
 */
export class QsccTransactionLookup implements TransactionLookup {
  constructor(
    private readonly qscc: Pick<Contract, 'evaluateTransaction'>,
    private readonly channel: string,
  ) {}

  async lookup(transactionId: string): Promise<TransactionStatus | undefined> {
    try {
      const processed = peer.ProcessedTransaction.deserializeBinary(
        await metrics.time('evaluate', () =>
          this.qscc.evaluateTransaction('GetTransactionByID', this.channel, transactionId),
        ),
      );
      const block = common.Block.deserializeBinary(
        await metrics.time('evaluate', () =>
          this.qscc.evaluateTransaction('GetBlockByTxID', this.channel, transactionId),
        ),
      );
      const code = processed.getValidationcode();
      return {
        transactionId,
        valid: code === peer.TxValidationCode.VALID,
        validationCode: validationCodeName(code),
        blockNumber: block.getHeader()?.getNumber() ?? 0,
      };
    } catch (err) {
      if (notInLedger(err)) return undefined;
      throw err;
    }
  }
}
