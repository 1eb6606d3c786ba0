import { peer } from '@hyperledger/fabric-protos';
import { transactionChaincodeEvents, type BlockTransaction } from './block';

/**
 * Picks the events a ChaincodeEvents stream delivers (fabric chaincodeevents.go chaincodeEventMatcher and
 * event/chaincodeiterator.go): events of the requested chaincode from VALID transactions only, in block order;
 * with `afterTransactionId`, nothing up to and including that transaction. Stateful across blocks: feed it the
 * blocks in order.
 */
export class ChaincodeEventFilter {
  private passedAfterTransaction: boolean;

  /**
   * @param chaincodeId - the chaincode whose events to deliver.
   * @param afterTransactionId - deliver only events of transactions after this one ('' = no such limit).
   */
  constructor(
    private readonly chaincodeId: string,
    private readonly afterTransactionId: string,
  ) {
    this.passedAfterTransaction = afterTransactionId === '';
  }

  /** The matching events of one block's transactions, in the order the transactions appear. */
  eventsOf(transactions: BlockTransaction[]): peer.ChaincodeEvent[] {
    const events: peer.ChaincodeEvent[] = [];
    for (const transaction of transactions) {
      if (!this.passedAfterTransaction) {
        // Fabric flips on the first event carrying that tx id; devnet on the transaction itself, so a
        // checkpoint at a transaction without events does not stall the stream.
        if (transaction.txId === this.afterTransactionId) this.passedAfterTransaction = true;
        continue;
      }
      if (transaction.validationCode !== peer.TxValidationCode.VALID) continue;
      for (const event of transactionChaincodeEvents(transaction)) {
        if (event.getChaincodeId() === this.chaincodeId) events.push(event);
      }
    }
    return events;
  }
}
