import { ExitCode } from './cli-error.js';
import {
  INVOCATION, execute, lookup, parseInvocation, report, runLine, usageListing, type Invocation,
} from './command-table.js';
import type { CommandContext } from './command.js';
import { processIo, type CliIo } from './io.js';
import { parseMainArgs, type MainArgs } from './main-args.js';
import { CliSession } from './session.js';
import { runShell } from './shell.js';

/**
 * coord-cli: zkCli's shell and one-shot commands on @paddock/coord-client. Resolves with the
 * process exit code: 0, 1 when the command failed, 127 for an unknown command.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let args: MainArgs;
  try {
    args = parseMainArgs(argv);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\nUsage: ${INVOCATION}\n`);
    return ExitCode.FAILED;
  }
  if (args.help) {
    io.out(usageListing());
    return ExitCode.OK;
  }
  io.out(`Connecting to ${args.server}\n`);
  const session = new CliSession(io, { ...args, onDemand: args.command.length > 0 });
  const ctx: CommandContext = { session, out: io.out, err: io.err, dispatch: (words) => runLine(ctx, words) };
  if (args.command.length > 0) return runOnce(ctx, args.command);
  io.out('Welcome to coord-cli!\n');
  try {
    await session.connect();
  } catch (err) {
    report(ctx, err);
  }
  return runShell(session, ctx, io);
}

/** One command from the process arguments; it connects when it first needs the server. */
async function runOnce(ctx: CommandContext, words: readonly string[]): Promise<number> {
  let inv: Invocation;
  try {
    inv = parseInvocation(lookup(words[0] as string), words.slice(1));
  } catch (err) {
    return report(ctx, err);
  }
  try {
    return await execute(ctx, inv);
  } finally {
    await ctx.session.close(true);
  }
}
