import { Code, KeeperError } from '../index.js';

/** Exit codes of zkCli: 0 done, 1 the command failed, 127 no such command. */
export const ExitCode = { OK: 0, FAILED: 1, COMMAND_NOT_FOUND: 127 } as const;

/**
 * A command that failed with a message for stderr (zkCli's CliException). The message may be
 * empty when the command already printed everything it had to say.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode: number = ExitCode.FAILED) {
    super(message);
  }
}

/** How zkCli words a KeeperError (its CliWrapperException); other codes print the error's own message. */
const KEEPER_MESSAGES: ReadonlyMap<number, string> = new Map<number, string>([
  [Code.NoNode, 'Node does not exist: '],
  [Code.NoChildrenForEphemerals, 'Ephemerals cannot have children: '],
  [Code.NodeExists, 'Node already exists: '],
  [Code.NotEmpty, 'Node not empty: '],
  [Code.NotReadOnly, 'Not a read-only call: '],
  [Code.InvalidACL, 'Acl is not valid : '],
  [Code.NoAuth, 'Insufficient permission : '],
  [Code.BadArguments, 'Arguments are not valid : '],
  [Code.BadVersion, 'version No is not valid : '],
  [Code.QuotaExceeded, 'Quota has exceeded : '],
]);

/** The line zkCli prints for a failed call; a missing path reads "null" as in Java. */
export function keeperMessage(err: KeeperError): string {
  const prefix = KEEPER_MESSAGES.get(err.code);
  return prefix === undefined ? err.message : `${prefix}${err.path ?? 'null'}`;
}

/** Turns anything a command threw into the message to print and the exit code. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof KeeperError) return { message: keeperMessage(err), exitCode: ExitCode.FAILED };
  return { message: err instanceof Error ? err.message : String(err), exitCode: ExitCode.FAILED };
}
