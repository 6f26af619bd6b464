import { CoordClient } from '@paddock/coord-client';
import { checkRoot } from '../layout.js';
import { CliError, ExitCode, describeFailure, usageError } from './cli-error.js';
import { parseInvocation, usageListing } from './command-table.js';
import type { CommandContext } from './command.js';
import { parseMainArgs } from './main-args.js';

/** Where the CLI writes: the process's streams in the bin, strings in tests. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/**
 * `registry`: the registry and config center from the command line, on any ZooKeeper-protocol
 * server. Resolves with the exit code: 0 done, 1 the command failed, 2 bad usage.
 */
export async function main(argv: readonly string[], io: CliOutput = processOutput): Promise<number> {
  let client: CoordClient | null = null;
  try {
    const args = parseMainArgs(argv);
    if (args.help) {
      io.out(usageListing());
      return ExitCode.OK;
    }
    if (args.command.length === 0) throw usageError(`no command given\n${usageListing().trimEnd()}`);
    let root: string;
    try {
      root = checkRoot(args.root);
    } catch (err) {
      throw usageError((err as Error).message);
    }
    const inv = parseInvocation(args.command);
    const ctx: CommandContext = {
      root,
      out: io.out,
      client: async () => (client ??= await connect(args.server, args.timeoutMs)),
    };
    await inv.command.run(ctx, inv.args);
    return ExitCode.OK;
  } catch (err) {
    const { message, exitCode } = describeFailure(err);
    io.err(`registry: ${message}\n`);
    return exitCode;
  } finally {
    await (client as CoordClient | null)?.close();
  }
}

async function connect(server: string, timeoutMs: number): Promise<CoordClient> {
  try {
    // One pass over the hosts: a CLI reports an unreachable server rather than waiting for it.
    return await CoordClient.connect(server, { sessionTimeout: timeoutMs, connectTimeout: timeoutMs, retry: { maxAttempts: 1 } });
  } catch (err) {
    throw new CliError(`cannot connect to ${server}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
