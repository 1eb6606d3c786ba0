import { orderer } from '@hyperledger/fabric-protos';

/** Block numbers at or above this are "the end of time" (a uint64 max read into a JS number). */
export const MAX_BLOCK_NUMBER = Number.MAX_SAFE_INTEGER;

/**
 * The first block a SeekInfo start position asks for, given the chain height, or undefined when
 * that is past the end of the chain (fabric fileledger Iterator: a specified block above the
 * height, or an unset position, yields NOT_FOUND; the block at the height itself is waited for).
 */
export function seekStart(start: orderer.SeekPosition, height: number): number | undefined {
  switch (start.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      return 0;
    case orderer.SeekPosition.TypeCase.NEWEST:
      return Math.max(height - 1, 0);
    case orderer.SeekPosition.TypeCase.SPECIFIED: {
      const n = start.getSpecified()!.getNumber();
      return n > height ? undefined : n;
    }
    case orderer.SeekPosition.TypeCase.NEXT_COMMIT:
      return height;
    default:
      return undefined;
  }
}

/**
 * The last block to send (fabric common/deliver/deliver.go deliverBlocks): oldest stops at the
 * start; newest at the current tip (or at the start when start is also newest, so that exactly
 * one block goes out); specified at its number, which must not be below the start (undefined:
 * BAD_REQUEST). Other stop kinds never match a block number, as in Fabric.
 */
export function seekStop(seekInfo: orderer.SeekInfo, start: number, height: number): number | undefined {
  const stop = seekInfo.getStop()!;
  switch (stop.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      return start;
    case orderer.SeekPosition.TypeCase.NEWEST:
      if (seekInfo.getStart()!.getTypeCase() === orderer.SeekPosition.TypeCase.NEWEST) return start;
      return height - 1;
    case orderer.SeekPosition.TypeCase.SPECIFIED: {
      const n = Math.min(stop.getSpecified()!.getNumber(), MAX_BLOCK_NUMBER);
      return n < start ? undefined : n;
    }
    default:
      return -1;
  }
}
