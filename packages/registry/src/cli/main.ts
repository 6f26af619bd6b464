import { readFileSync } from 'node:fs';
import { CoordClient } from '@paddock/coord-client';
import { checkRoot } from '../layout.js';
import { CliError, ExitCode, describeFailure, usageError } from './cli-error.js';
import { commandHelp, lookup, parseInvocation, usageListing } from './command-table.js';
import type { CommandContext } from './command.js';
import { parseMainArgs, type MainArgs } from './main-args.js';

/** Where the CLI writes: the process's streams in the bin, strings in tests. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Ends a command that runs until stopped (`config watch`); the bin aborts it on SIGINT or SIGTERM. */
  readonly stop?: AbortSignal;
}

const processOutput: CliOutput = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/** This package's version, from its package.json (beside dist/ and src/ alike). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return `registry ${String(pkg.version)}\n`;
}

/**
 * `registry`: the registry and config center from the command line, on any ZooKeeper-protocol
 * server. Resolves with the exit code: 0 done, 1 the command failed, 2 bad usage.
 */
export async function main(argv: readonly string[], io: CliOutput = processOutput): Promise<number> {
  let client: CoordClient | null = null;
  let signals: { signal: AbortSignal; dispose(): void } | null = null;
  try {
    const args = parseMainArgs(argv);
    if (args.version) {
      io.out(version());
      return ExitCode.OK;
    }
    if (args.help) {
      io.out(args.command.length === 0 ? usageListing() : commandHelp(lookup(args.command)));
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
    if (inv.help) {
      io.out(commandHelp(inv.command));
      return ExitCode.OK;
    }
    // Only a command that runs until stopped takes over Ctrl-C; others die of it as usual.
    if (inv.command.untilStopped && io.stop === undefined) signals = stopOnSignals();
    const ctx: CommandContext = {
      root,
      out: io.out,
      note: io.err,
      stop: io.stop ?? signals?.signal ?? new AbortController().signal,
      client: async () => (client ??= await connect(args)),
    };
    await inv.command.run(ctx, inv.args);
    return ExitCode.OK;
  } catch (err) {
    const { message, exitCode } = describeFailure(err);
    io.err(`registry: ${message}\n`);
    return exitCode;
  } finally {
    (signals as { dispose(): void } | null)?.dispose();
    await (client as CoordClient | null)?.close();
  }
}

/** An AbortSignal for SIGINT and SIGTERM while a command runs; the handlers go when it ends. */
function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function connect(args: MainArgs): Promise<CoordClient> {
  try {
    // One pass over the hosts: a CLI reports an unreachable server rather than waiting for it.
    return await CoordClient.connect(args.server, {
      sessionTimeout: args.sessionTimeoutMs, connectTimeout: args.connectTimeoutMs, retry: { maxAttempts: 1 },
    });
  } catch (err) {
    throw new CliError(`cannot connect to ${args.server}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
