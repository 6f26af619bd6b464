import { usageError } from './cli-error.js';

/** One flag of a command line: its spellings, the key it sets, and whether it takes a value. */
export interface FlagSpec {
  /** Every spelling, the first the one help shows: `['--server', '-server']`. */
  readonly names: readonly string[];
  /** The key its value is stored under. */
  readonly key: string;
  /** The value's placeholder in help (`host:port`); absent for a switch. */
  readonly value?: string;
  readonly help: string;
}

/** The flags given (a switch maps to `true`, the last value wins) and the words left. */
export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | true>;
  /** How each key's flag was spelled, so a message names it as the user wrote it. */
  readonly spelled: ReadonlyMap<string, string>;
  /** Leading mode: the command and everything after it. Interleaved mode: the positional words. */
  readonly rest: readonly string[];
}

/**
 * `leading`: flags come first and the first other word starts the command, so anything after
 * it (`-1`, `-server`) belongs to the command (zkCli's way). `interleaved`: flags anywhere
 * among the words; only `--x` words are flags, so a value such as `-1` stays an argument, and
 * `--` ends the flags.
 */
export type FlagMode = 'leading' | 'interleaved';

/** Arguments to a command line are bounded: a runaway script gets a clear refusal. */
const MAX_WORDS = 10_000;

function isFlag(word: string, mode: FlagMode): boolean {
  return mode === 'leading' ? word.length > 1 && word.startsWith('-') : word.length > 2 && word.startsWith('--');
}

/** Reads `argv` against `specs`; an unknown flag or a missing value is a usage error naming it. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], mode: FlagMode): ParsedFlags {
  if (argv.length > MAX_WORDS) throw usageError(`too many arguments: ${argv.length} (at most ${MAX_WORDS})`);
  const values = new Map<string, string | true>();
  const spelled = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (mode === 'interleaved' && word === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlag(word, mode)) {
      if (mode === 'leading') return { values, spelled, rest: argv.slice(i) };
      rest.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const name = eq < 0 ? word : word.slice(0, eq);
    const spec = specs.find((s) => s.names.includes(name));
    if (spec === undefined) throw usageError(`unknown option ${name}`);
    spelled.set(spec.key, name);
    if (spec.value === undefined) {
      if (eq >= 0) throw usageError(`option ${name} takes no value, got "${word.slice(eq + 1)}"`);
      values.set(spec.key, true);
      continue;
    }
    const value = eq >= 0 ? word.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw usageError(`no argument found for option ${name}`);
    values.set(spec.key, value);
  }
  return { values, spelled, rest };
}

/** The help lines for `specs`: spellings and placeholder, then what the flag does. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  const heads = specs.map((s) => `${s.names.join(', ')}${s.value === undefined ? '' : ` ${s.value}`}`);
  const width = Math.max(0, ...heads.map((h) => h.length)) + 2;
  return specs.map((s, i) => `  ${(heads[i] as string).padEnd(width)}${s.help}\n`).join('');
}

/** The value under `key`, which must be a value flag's (a switch's `true` is a programming error). */
export function flagValue(flags: ParsedFlags, key: string): string | undefined {
  const v = flags.values.get(key);
  return v === true ? undefined : v;
}
