/**
 * Test-only builder of Fabric blocks as a peer delivers them (envelope → payload → transaction →
 * chaincode action with its event; TRANSACTIONS_FILTER in the metadata). Not part of the build.
 */
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import type { BlockSource } from '../events/stream';

/** One transaction of a test block. */
export interface TestTransaction {
  txId: string;
  /** Invoked function, e.g. `ledger:RegisterRecord`. */
  fn: string;
  /** Chaincode event; none when undefined. */
  event?: { name: string; payload: unknown; chaincode?: string };
  /** Validation code (default VALID). */
  code?: number;
}

function envelope(tx: TestTransaction): Uint8Array {
  const spec = new peer.ChaincodeSpec();
  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from(tx.fn)]);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());
  const action = new peer.ChaincodeAction();
  if (tx.event) {
    const event = new peer.ChaincodeEvent();
    event.setChaincodeId(tx.event.chaincode ?? 'egov');
    event.setTxId(tx.txId);
    event.setEventName(tx.event.name);
    event.setPayload(Buffer.from(JSON.stringify(tx.event.payload)));
    action.setEvents(event.serializeBinary());
  }
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(action.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  actionPayload.setAction(endorsed);
  const txAction = new peer.TransactionAction();
  txAction.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([txAction]);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(tx.txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

/** A block holding `transactions`, in order. */
export function testBlock(number: number, transactions: TestTransaction[]): common.Block {
  const block = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  block.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(transactions.map(envelope));
  block.setData(data);
  const metadata = new common.BlockMetadata();
  const entries: Uint8Array[] = [new Uint8Array(), new Uint8Array(), new Uint8Array(), new Uint8Array()];
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(
    transactions.map((tx) => tx.code ?? peer.TxValidationCode.VALID),
  );
  metadata.setMetadataList(entries);
  block.setMetadata(metadata);
  return block;
}

/**
 * A {@link BlockSource} over an in-memory chain: `blocks(start)` yields the blocks from `start`,
 * then waits for {@link append}ed ones, like a peer's Deliver stream, until closed.
 */
export class FakeBlockSource implements BlockSource {
  readonly chain: common.Block[] = [];
  /** Start blocks asked for, in order. */
  readonly starts: (bigint | undefined)[] = [];
  private readonly wake: (() => void)[] = [];

  append(...transactions: TestTransaction[][]): void {
    for (const txs of transactions) this.chain.push(testBlock(this.chain.length, txs));
    for (const wake of this.wake.splice(0)) wake();
  }

  async height(): Promise<bigint> {
    return BigInt(this.chain.length);
  }

  async blocks(startBlock?: bigint): Promise<CloseableAsyncIterable<common.Block>> {
    this.starts.push(startBlock);
    let next = startBlock === undefined ? this.chain.length : Number(startBlock);
    let closed = false;
    const close = (): void => {
      closed = true;
      for (const wake of this.wake.splice(0)) wake();
    };
    const chain = this.chain;
    const waiting = this.wake;
    async function* iterate(): AsyncGenerator<common.Block> {
      while (!closed) {
        if (next < chain.length) {
          yield chain[next++];
          continue;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    }
    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close,
      [Symbol.dispose]: close,
    };
  }
}
