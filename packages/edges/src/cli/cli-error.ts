/**
 * Exit codes of Paddock's command lines (`registry`, `coord-cli`), one table for both:
 *
 *   0  OK                 the command did what it was asked (a watch ended by Ctrl-C too)
 *   1  FAILED             it ran and failed: not found, refused, server unreachable
 *   2  USAGE              bad arguments, refused before anything was sent
 *   127 COMMAND_NOT_FOUND coord-cli only, as zkCli: the command word is unknown
 *
 * coord-cli keeps zkCli's 1 for bad arguments (scripts written for zkCli test for it); see
 * docs/registry-cli.md.
 */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2, COMMAND_NOT_FOUND: 127 } as const;

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
