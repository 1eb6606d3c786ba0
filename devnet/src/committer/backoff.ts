/** Reconnect delays of the deliver client (fabric blocksprovider: exponent base 1.2, bounded). */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  base: number;
}

/** Fabric-like defaults: start at 100 ms, grow by 1.2 per failed attempt, at most 10 s. */
export const defaultBackoff: BackoffOptions = { initialMs: 100, maxMs: 10_000, base: 1.2 };

/** The delay before retry number `attempt` (0-based): initial × base^attempt, capped (fabric backOffDuration). */
export function backoffDelay(attempt: number, o: BackoffOptions = defaultBackoff): number {
  return Math.min(o.maxMs, o.initialMs * Math.pow(o.base, attempt));
}

/** Sleeps `ms`, resolving early when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
