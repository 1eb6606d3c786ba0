/** One pending wait for a height. */
interface Waiter {
  height: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Lets readers wait until a ledger reaches a height (what deliver needs for BLOCK_UNTIL_READY;
 * fabric blkstorage blockfile_mgr.go waits on a condition variable the same way).
 */
export class HeightWaiter {
  private waiters: Waiter[] = [];
  private closedError: Error | undefined;

  constructor(private current: number) {}

  /** The height last announced. */
  height(): number {
    return this.current;
  }

  /** Announces a new height and wakes the waiters it satisfies. */
  advance(height: number): void {
    this.current = height;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.height <= height) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves when the height is at least `height`; rejects on abort or close. */
  wait(height: number, signal?: AbortSignal): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (height <= this.current) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(abortError(signal!));
      };
      const waiter: Waiter = {
        height,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Rejects every waiter (and all later waits) with `err`. */
  close(err: Error): void {
    this.closedError = err;
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('wait for height aborted');
  err.name = 'AbortError';
  return err;
}
