import type { GatewayChannel, GatewayTxLocation } from './deps';
import { blockTransactions } from './block';

/**
 * Where and how a transaction committed on this peer; waits for it if it has not yet (fabric gateway
 * commit/finder.go TransactionStatus). Uses the channel's `waitForTx` when it has one; otherwise listens for
 * commits first and then looks in the block store, so a commit between the two is not missed. Rejects when
 * `signal` aborts.
 */
export async function transactionStatus(
  channel: GatewayChannel,
  txId: string,
  signal: AbortSignal,
): Promise<GatewayTxLocation> {
  if (channel.waitForTx) return channel.waitForTx(txId, signal);
  return new Promise<GatewayTxLocation>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void =>
      finish(() => reject(new Error(`stopped waiting for transaction ${txId}: context canceled`)));
    const unsubscribe = channel.onCommit((block, filter) => {
      const tx = blockTransactions(block, filter).find((t) => t.txId === txId);
      if (tx)
        finish(() =>
          resolve({
            blockNumber: Number(block.getHeader()?.getNumber() ?? 0),
            validationCode: tx.validationCode,
          }),
        );
    });
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) return onAbort();
    channel.store.getTxLocation(txId).then(
      (location) => {
        if (location)
          finish(() =>
            resolve({ blockNumber: location.blockNumber, validationCode: location.validationCode }),
          );
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
