import { TurnQueue } from './turnqueue';

/** A job that marks its start and, in the next turn, an immediate it left; it resolves with its name. */
function marking(marks: string[]) {
  return (name: string) => () => {
    marks.push(`${name} starts`);
    setImmediate(() => marks.push(`${name}'s immediate`));
    return Promise.resolve(name);
  };
}

describe('TurnQueue', () => {
  it('starts one job per turn, after what the job before it left for the next turn', async () => {
    const queue = new TurnQueue();
    const marks: string[] = [];
    const job = marking(marks);
    const results = await Promise.all(['a', 'b', 'c'].map((name) => queue.run(job(name))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toEqual(['a', 'b', 'c']);
    // All three started in the same turn would read: a starts, b starts, c starts, then the immediates.
    expect(marks).toEqual([
      'a starts',
      "a's immediate",
      'b starts',
      "b's immediate",
      'c starts',
      "c's immediate",
    ]);
  });

  it('starts up to perTurn jobs in one turn', async () => {
    const queue = new TurnQueue(2);
    const marks: string[] = [];
    const job = marking(marks);
    await Promise.all(['a', 'b', 'c'].map((name) => queue.run(job(name))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(marks).toEqual([
      'a starts',
      'b starts',
      "a's immediate",
      "b's immediate",
      'c starts',
      "c's immediate",
    ]);
  });

  it('starts every waiting job in one turn when more than allAbove wait, and one per turn again below it', async () => {
    const queue = new TurnQueue(1, 3);
    const marks: string[] = [];
    const job = marking(marks);
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => queue.run(job(name))));
    await Promise.all(['e', 'f'].map((name) => queue.run(job(name))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(marks).toEqual([
      'a starts',
      'b starts',
      'c starts',
      'd starts',
      "a's immediate",
      "b's immediate",
      "c's immediate",
      "d's immediate",
      'e starts',
      "e's immediate",
      'f starts',
      "f's immediate",
    ]);
  });

  it('rejects an allAbove below perTurn', () => {
    expect(() => new TurnQueue(2, 1)).toThrow('allAbove must be at least perTurn, not 1');
  });

  it('rejects a perTurn below one or not whole', () => {
    expect(() => new TurnQueue(0)).toThrow('perTurn must be a positive integer, not 0');
    expect(() => new TurnQueue(1.5)).toThrow('perTurn must be a positive integer, not 1.5');
  });

  it('does not start a job in the turn it was queued', () => {
    const queue = new TurnQueue();
    let started = false;
    void queue.run(() => {
      started = true;
      return Promise.resolve();
    });
    expect(started).toBe(false);
    expect(queue.pending).toBe(1);
  });

  it("settles with each job's outcome and keeps going after a job that throws or rejects", async () => {
    const queue = new TurnQueue();
    const thrown = queue.run((): Promise<void> => {
      throw new Error('thrown');
    });
    const rejected = queue.run(() => Promise.reject(new Error('rejected')));
    const fulfilled = queue.run(() => Promise.resolve(42));
    await expect(thrown).rejects.toThrow('thrown');
    await expect(rejected).rejects.toThrow('rejected');
    await expect(fulfilled).resolves.toBe(42);
    expect(queue.pending).toBe(0);
  });
});
