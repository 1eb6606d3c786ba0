/** Thrown when `ministries.yaml` cannot be read, parsed or validated; the message lists every problem. */
export class MinistriesConfigError extends Error {
  /** One line per problem, each starting with the path of the offending key, e.g. `ministries[1].mspId: ...`. */
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`${source} is not a valid list of ministries:\n  - ${problems.join('\n  - ')}`);
    this.name = 'MinistriesConfigError';
    this.problems = problems;
  }
}
