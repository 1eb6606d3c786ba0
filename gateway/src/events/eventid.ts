/**
 * Where an event stream stands in the ledger: after block `blockNumber`'s transaction
 * `transactionIndex`, or after the whole block when `transactionIndex` is undefined.
 */
export interface StreamPosition {
  blockNumber: bigint;
  transactionIndex?: number;
}

/** Block numbers and transaction indexes as they appear in event ids: decimal, no leading zeros. */
const EVENT_ID = /^(0|[1-9][0-9]{0,19})(?:-(0|[1-9][0-9]{0,9}))?$/;

/**
 * The SSE id of a position: `<block>-<transactionIndex>` for a chaincode event, `<block>` for the
 * end of a block (its height event). Ids sort as the ledger does, so a client that sends the last
 * one back in `Last-Event-ID` resumes right after it.
 */
export function formatEventId(position: StreamPosition): string {
  return position.transactionIndex === undefined
    ? position.blockNumber.toString()
    : `${position.blockNumber}-${position.transactionIndex}`;
}

/** Parses an event id of {@link formatEventId}; undefined when it is not one. */
export function parseEventId(id: string): StreamPosition | undefined {
  const match = EVENT_ID.exec(id);
  if (!match) return undefined;
  const blockNumber = BigInt(match[1]);
  if (blockNumber > 0xffffffffffffffffn) return undefined;
  return match[2] === undefined ? { blockNumber } : { blockNumber, transactionIndex: Number(match[2]) };
}

/** The block to start reading at, and the last transaction index of it already delivered (-1 = none). */
export function resumeFrom(after: StreamPosition): { startBlock: bigint; skipThrough: number } {
  return after.transactionIndex === undefined
    ? { startBlock: after.blockNumber + 1n, skipThrough: -1 }
    : { startBlock: after.blockNumber, skipThrough: after.transactionIndex };
}
