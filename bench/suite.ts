/** A benchmark suite `npm run bench -- <name> [args]` can run. */
export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  /** Runs with the arguments after the suite's name; prints its own report. */
  run(argv: readonly string[]): Promise<void>;
}
