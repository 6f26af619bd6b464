import { usageError } from './cli-error.js';
import type { Command, CommandArgs } from './command.js';
import { CONFIG_COMMANDS } from './config-commands.js';
import { SERVICE_COMMANDS } from './service-commands.js';

/** Every command; the only place they are listed and looked up. */
const COMMANDS: readonly Command[] = [...SERVICE_COMMANDS, ...CONFIG_COMMANDS];

const INVOCATION = 'registry [--server host:port[,host:port...][/chroot]] [--timeout ms] [--root /services] <command> [args]';

function usageOf(c: Command): string {
  return [...c.words, ...(c.flags ?? []).map((f) => `[${f}]`), ...c.args].join(' ');
}

/** The help text: how to invoke, then one line per command. */
export function usageListing(): string {
  const lines = COMMANDS.map((c) => `  ${usageOf(c).padEnd(53)} ${c.summary}`);
  return `Usage: ${INVOCATION}\nCommands:\n${lines.join('\n')}\n`;
}

/** A command with its arguments checked, ready to run. */
export interface Invocation {
  readonly command: Command;
  readonly args: CommandArgs;
}

/** The command named by the first words, or a usage error saying which words are unknown. */
function lookup(words: readonly string[]): Command {
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
  const rest = words.slice(command.words.length);
  const accepted = new Set(command.flags ?? []);
  const flags = new Set<string>();
  const positional: string[] = [];
  for (const w of rest) {
    if (accepted.has(w)) flags.add(w);
    else if (w.startsWith('--')) throw usageError(`${command.words.join(' ')}: unknown flag ${w}\nusage: registry ${usageOf(command)}`);
    else positional.push(w);
  }
  const required = command.args.filter((x) => x.startsWith('<')).length;
  if (positional.length < required || positional.length > command.args.length) {
    const count = required === command.args.length ? `${required}` : `${required} to ${command.args.length}`;
    throw usageError(`${command.words.join(' ')} takes ${count} argument(s), got ${positional.length}\nusage: registry ${usageOf(command)}`);
  }
  const args = { positional, flags };
  command.check?.(args);
  return { command, args };
}
