/** Exit codes: 0 done, 1 the command failed (not found, refused, unreachable), 2 bad usage. */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** A failure with the message to print on stderr and the exit code it ends with. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode: number = ExitCode.FAILED) {
    super(message);
  }
}

/** Bad arguments: refused before anything is sent, exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.USAGE);
}

/** What to print and the exit code for anything a command threw. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  return { message: err instanceof Error ? err.message : String(err), exitCode: ExitCode.FAILED };
}
