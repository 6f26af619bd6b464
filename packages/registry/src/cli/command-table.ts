import { COMMON_FLAGS, flagHelp, parseFlags, type FlagSpec } from '@paddock/edges';
import { usageError } from './cli-error.js';
import type { Command, CommandArgs } from './command.js';
import { CONFIG_COMMANDS } from './config-commands.js';
import { MAIN_FLAGS } from './main-args.js';
import { OVERRIDE_COMMANDS } from './override-commands.js';
import { SERVICE_COMMANDS } from './service-commands.js';

/** Every command; the only place they are listed and looked up. */
const COMMANDS: readonly Command[] = [...SERVICE_COMMANDS, ...OVERRIDE_COMMANDS, ...CONFIG_COMMANDS];

const INVOCATION = 'registry [options] <command> [args] [--json] [--help]';

function flagUsage(f: FlagSpec): string {
  return `[${f.names[0] as string}${f.value === undefined ? '' : ` ${f.value}`}]`;
}

function usageOf(c: Command): string {
  return [...c.words, ...(c.flags ?? []).map(flagUsage), ...c.args].join(' ');
}

/** The help text: how to invoke, the options, then one line per command. */
export function usageListing(): string {
  const lines = COMMANDS.map((c) => `  ${usageOf(c).padEnd(62)} ${c.summary}`);
  return `Usage: ${INVOCATION}\nOptions:\n${flagHelp(MAIN_FLAGS)}Commands:\n${lines.join('\n')}\n`
    + 'Exit codes: 0 done, 1 the command failed, 2 bad usage. registry <command> --help for one command.\n';
}

/** `registry <command> --help`: its usage, what it does, its flags. */
export function commandHelp(c: Command): string {
  const flags = c.flags ?? [];
  return `Usage: registry [options] ${usageOf(c)}\n${c.summary}\n${c.details === undefined ? '' : `${c.details.trimEnd()}\n`}`
    + `${flags.length > 0 ? `Flags:\n${flagHelp(flags)}` : ''}`;
}

/** A command with its arguments checked, ready to run; or the command whose help was asked for. */
export interface Invocation {
  readonly command: Command;
  readonly args: CommandArgs;
  readonly help: boolean;
}

/** The command named by the first words, or a usage error saying which words are unknown. */
export function lookup(words: readonly string[]): Command {
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w));
  const best = matches.sort((a, b) => b.words.length - a.words.length)[0];
  if (best) return best;
  const group = COMMANDS.filter((c) => c.words.length > 1 && c.words[0] === words[0]);
  if (group.length > 0) {
    const what = words[1] === undefined ? 'needs a subcommand' : `has no subcommand "${words[1]}"`;
    throw usageError(`${words[0]} ${what}: one of ${group.map((c) => c.words[1]).join(', ')}`);
  }
  throw usageError(`unknown command "${words[0] ?? ''}"; run registry --help for the list`);
}

/** Resolves the words to a command and checks its arguments, before any connection. */
export function parseInvocation(words: readonly string[]): Invocation {
  const command = lookup(words);
  const name = command.words.join(' ');
  const usage = `usage: registry ${usageOf(command)}`;
  let parsed;
  try {
    parsed = parseFlags(words.slice(command.words.length), [...(command.flags ?? []), COMMON_FLAGS.help], 'interleaved');
  } catch (err) {
    throw usageError(`${name}: ${(err as Error).message.replace('option', 'flag')}\n${usage}`);
  }
  const args: CommandArgs = { positional: parsed.rest, flags: parsed.values };
  if (parsed.values.has('help')) return { command, args, help: true };
  const required = command.args.filter((x) => x.startsWith('<')).length;
  if (args.positional.length < required || args.positional.length > command.args.length) {
    const count = required === command.args.length ? `${required}` : `${required} to ${command.args.length}`;
    throw usageError(`${name} takes ${count} argument(s), got ${args.positional.length}\n${usage}`);
  }
  command.check?.(args);
  return { command, args, help: false };
}
