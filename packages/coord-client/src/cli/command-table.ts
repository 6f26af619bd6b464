import { ACL_COMMANDS } from './acl-commands.js';
import { CliError, ExitCode, describeFailure } from './cli-error.js';
import { config } from './config-command.js';
import { HISTORY_COMMANDS } from './history.js';
import { QUOTA_COMMANDS } from './quota-commands.js';
import { WATCH_COMMANDS } from './watch-commands.js';
import { parseOptions, type ParsedArgs } from './command-options.js';
import type { Command, CommandContext } from './command.js';
import { NODE_COMMANDS } from './node-commands.js';
import { SESSION_COMMANDS } from './session-commands.js';
import { version } from './version.js';

/** The only place commands are looked up and dispatched. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [...NODE_COMMANDS, ...ACL_COMMANDS, ...SESSION_COMMANDS, ...WATCH_COMMANDS, ...QUOTA_COMMANDS, ...HISTORY_COMMANDS, config, version].map((c) => [c.name, c]),
);

export const INVOCATION = 'coord-cli -server host:port[,host:port...][/chroot] -timeout ms [-r] cmd args';

/** What zkCli prints for an unknown command: how to invoke it, then every usage line by name. */
export function usageListing(): string {
  const names = [...COMMANDS.keys()].sort();
  return `${INVOCATION}\n${names.map((n) => `\t${COMMANDS.get(n)?.usage}\n`).join('')}`;
}

/** A command with its parsed arguments, ready to run. */
export interface Invocation {
  readonly command: Command;
  readonly args: ParsedArgs;
  /** Printed to stderr before running (the deprecated `cmd path watch` form). */
  readonly warning?: string;
}

export function lookup(name: string): Command {
  const command = COMMANDS.get(name);
  if (!command) {
    throw new CliError(`${usageListing()}Command not found: Command not found ${name}`, ExitCode.COMMAND_NOT_FOUND);
  }
  return command;
}

/** Parses a command's words after its name; too few arguments print its usage line. */
export function parseInvocation(command: Command, words: readonly string[]): Invocation {
  const args = javaErrors(command, () => parseOptions(words, command.options));
  command.validate?.(args);
  if (args.args.length < command.minArgs) throw new CliError(command.usage);
  if (command.legacyWatch && args.args.length > 1) {
    const flags = new Set(args.flags).add('w');
    return { command, args: { ...args, flags, args: args.args.slice(0, 1) }, warning: command.legacyWatch };
  }
  return { command, args };
}

/** commons-cli's exception for each message our option parser gives. */
const PARSE_EXCEPTIONS: readonly (readonly [string, string])[] = [
  ['Unrecognized option: ', 'UnrecognizedOptionException'],
  ['Missing argument for option: ', 'MissingArgumentException'],
];

function javaErrors<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const name = err instanceof CliError && command.javaParseErrors && PARSE_EXCEPTIONS.find(([p]) => err.message.startsWith(p))?.[1];
    if (name) throw new CliError(`org.apache.commons.cli.${name}: ${(err as CliError).message}`);
    throw err;
  }
}

/** Runs a parsed command; returns its exit code, having printed what went wrong. */
export async function execute(ctx: CommandContext, inv: Invocation): Promise<number> {
  if (inv.warning) ctx.err(`${inv.warning}\n`);
  try {
    await inv.command.run(ctx, inv.args);
    return ExitCode.OK;
  } catch (err) {
    return report(ctx, err);
  }
}

/** One shell line, in zkCli's order: unknown command, then "Not connected", then arguments. */
export async function runLine(ctx: CommandContext, words: readonly string[]): Promise<number> {
  let inv: Invocation;
  try {
    const command = lookup(words[0] ?? '');
    if (!command.offline && !ctx.session.client) {
      ctx.out('Not connected\n');
      return ExitCode.OK;
    }
    inv = parseInvocation(command, words.slice(1));
  } catch (err) {
    return report(ctx, err);
  }
  return execute(ctx, inv);
}

/** Prints what a failure says (if anything) and returns its exit code. */
export function report(ctx: CommandContext, err: unknown): number {
  const { message, exitCode } = describeFailure(err);
  if (message !== '') ctx.err(`${message}\n`);
  return exitCode;
}
