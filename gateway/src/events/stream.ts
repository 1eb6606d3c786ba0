import type { Checkpointer, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { common } from '@hyperledger/fabric-protos';
import { BlockEvents, LedgerEvent, readBlockEvents } from './block';
import { formatEventId } from './eventid';
import type { SseFrame } from './sse';

/** The peer's blocks, as fabric-gateway's `network.getBlockEvents` delivers them (tests fake it). */
export interface BlockSource {
  /** Blocks from `startBlock` on; from the next block committed when undefined. */
  blocks(startBlock?: bigint): Promise<CloseableAsyncIterable<common.Block>>;
  /** The channel's height: the number of the next block to be committed. */
  height(): Promise<bigint>;
}

/** Which events a stream carries. */
export interface EventFilter {
  /** Only events of this chaincode (the gateway's). */
  chaincode: string;
  /** Only events of transactions of this contract. */
  contract?: string;
  /** Contract that unqualified transaction names belong to (the chaincode's default contract). */
  defaultContract: string;
  /** Only events with one of these names; any when empty. */
  eventNames: readonly string[];
  /** Also send a `block` event at the end of every block (the channel's height). */
  blocks: boolean;
}

/**
 * Where a stream starts: at `startBlock` (the next block committed when undefined), leaving out that
 * block's transactions up to index `skipThrough`, or up to the one with id `skipThroughTransactionId`
 * (a fabric-gateway checkpoint names the last transaction, not its index).
 */
export interface StreamStart {
  startBlock?: bigint;
  skipThrough: number;
  skipThroughTransactionId?: string;
}

/** Where frames go: resolves false once the client is gone. */
export type FrameSink = (frame: SseFrame) => Promise<boolean>;

/** Whether the filter lets an event through. */
export function matches(event: LedgerEvent, filter: EventFilter): boolean {
  if (event.chaincode !== filter.chaincode) return false;
  if (filter.contract !== undefined && (event.contract ?? filter.defaultContract) !== filter.contract) {
    return false;
  }
  return filter.eventNames.length === 0 || filter.eventNames.includes(event.eventName);
}

/** A chaincode event payload as JSON when it is JSON (egov's are canonical JSON), else as text. */
function payloadOf(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `chaincode` frame of an event; its id is its ledger position. */
export function eventFrame(event: LedgerEvent, defaultContract: string): SseFrame {
  return {
    id: formatEventId(event),
    event: 'chaincode',
    data: {
      blockNumber: Number(event.blockNumber),
      transactionIndex: event.transactionIndex,
      transactionId: event.transactionId,
      chaincode: event.chaincode,
      contract: event.contract ?? defaultContract,
      transaction: event.transaction,
      eventName: event.eventName,
      payload: payloadOf(event.payload),
    },
  };
}

/** The `block` frame sent once a block is done: its number and the channel height it makes. */
export function blockFrame(block: BlockEvents): SseFrame {
  return {
    id: formatEventId({ blockNumber: block.blockNumber }),
    event: 'block',
    data: {
      blockNumber: Number(block.blockNumber),
      height: Number(block.blockNumber + 1n),
      transactions: block.transactionCount,
    },
  };
}

/** The last transaction index of the start block already delivered. */
function skipIndex(block: BlockEvents, start: StreamStart): number {
  if (block.blockNumber !== start.startBlock) return -1;
  if (start.skipThroughTransactionId === undefined) return start.skipThrough;
  return block.transactionIds.indexOf(start.skipThroughTransactionId);
}

/**
 * Sends one block's frames, checkpointing after each one the client's socket took. Resolves false
 * once the client is gone or the stream is aborted.
 */
async function sendBlock(
  block: BlockEvents,
  skipThrough: number,
  filter: EventFilter,
  sink: FrameSink,
  signal: AbortSignal,
  checkpointer?: Checkpointer,
): Promise<boolean> {
  for (const event of block.events) {
    if (event.transactionIndex <= skipThrough || !matches(event, filter)) continue;
    if (!(await sink(eventFrame(event, filter.defaultContract)))) return false;
    await checkpointer?.checkpointTransaction(event.blockNumber, event.transactionId);
    if (signal.aborted) return false;
  }
  if (filter.blocks && !(await sink(blockFrame(block)))) return false;
  await checkpointer?.checkpointBlock(block.blockNumber);
  return !signal.aborted;
}

/**
 * Streams the chaincode events (and block heights) of the ledger from `start` to `sink` until the
 * client goes away, `signal` aborts, or the peer ends the stream; the latter's error is thrown.
 * Events arrive in ledger order, each once: ids are `<block>-<transactionIndex>`, and with a
 * `checkpointer` (a durable subscription) the last one sent is saved after each frame.
 */
export async function streamEvents(
  source: BlockSource,
  start: StreamStart,
  filter: EventFilter,
  sink: FrameSink,
  signal: AbortSignal,
  checkpointer?: Checkpointer,
): Promise<void> {
  if (signal.aborted) return;
  const blocks = await source.blocks(start.startBlock);
  const stop = (): void => blocks.close();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const raw of blocks) {
      if (signal.aborted) return;
      const block = readBlockEvents(raw);
      if (!(await sendBlock(block, skipIndex(block, start), filter, sink, signal, checkpointer))) return;
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    signal.removeEventListener('abort', stop);
    blocks.close();
  }
}
