/**
 * Starts queued jobs a few per turn of the event loop, in arrival order.
 *
 * A Go server serves each call in a goroutine of its own, so a call's messages to the next process go
 * out as soon as that call has made them. One Node thread given a burst of calls in one socket read
 * runs them all before anything it wrote is flushed (Node's HTTP/2 sends pending frames from an
 * immediate), so the burst moves through the client, the peer and the chaincode server as one convoy
 * and each process waits for the whole burst of the one before it. Started a few per turn, the first
 * calls' frames leave while the next are being parsed, and the processes work side by side.
 */
export class TurnQueue {
  private readonly jobs: (() => void)[] = [];
  private scheduled = false;

  /**
   * @param perTurn - jobs started in each turn (at least 1).
   * @param allAbove - when more jobs than this wait at the start of a turn, all of them start in it: a
   * process that is given that many at once is saturated, and one flush for all costs less than one each.
   */
  constructor(
    private readonly perTurn = 1,
    private readonly allAbove = Infinity,
  ) {
    if (!Number.isInteger(perTurn) || perTurn < 1)
      throw new Error(`perTurn must be a positive integer, not ${perTurn}`);
    if (!(allAbove >= perTurn)) throw new Error(`allAbove must be at least perTurn, not ${allAbove}`);
  }

  /** Runs `job` on a later turn, after the jobs queued before it; settles as the job's promise does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        try {
          job().then(resolve, reject);
        } catch (err: unknown) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.startNext);
      }
    });
  }

  /** Jobs waiting for their turn. */
  get pending(): number {
    return this.jobs.length;
  }

  // Scheduled after the jobs have started, so what they queued for the next turn (their writes) runs first.
  private readonly startNext = (): void => {
    const starting = this.jobs.length > this.allAbove ? this.jobs.length : this.perTurn;
    for (let i = 0; i < starting && this.jobs.length > 0; i++) this.jobs.shift()!();
    if (this.jobs.length > 0) setImmediate(this.startNext);
    else this.scheduled = false;
  };
}
