import { CliError, ExitCode } from '@paddock/edges';

/** The argument kit's errors and exit codes, shared with coord-cli. */
export { CliError, ExitCode, usageError } from '@paddock/edges';

/** What to print and the exit code for anything a command threw. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  return { message: err instanceof Error ? err.message : String(err), exitCode: ExitCode.FAILED };
}
