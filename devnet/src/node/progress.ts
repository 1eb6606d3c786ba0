/** Prints numbered steps with their duration, so a long `npm start` shows where it is. */
export class Progress {
  private step = 0;

  constructor(
    private readonly total: number,
    private readonly out: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  /** Runs one step, printing `[n/total] title ... done (1.2 s)` or `failed`. */
  async run<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.step += 1;
    const started = Date.now();
    this.out(`[${this.step}/${this.total}] ${title} ... `);
    try {
      const result = await work();
      this.out(`done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      return result;
    } catch (err) {
      this.out('failed\n');
      throw err;
    }
  }
}
