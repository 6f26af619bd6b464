import { CliError } from './cli-error.js';

/**
 * A command's options as zkCli declares them: one-letter switches, some taking a value.
 * Parsing follows the rules zkCli's scripts rely on: options may come before or after the
 * positional arguments, switches bundle (`-sw`), a value may be glued on (`-v5`, `-v=5`) or be
 * the next word (which may be a negative number: `-v -1`), `--` ends the options, and a lone
 * `-` is an argument.
 */
export interface OptionSpec {
  /** Switches without a value, e.g. `swR`. */
  readonly flags: string;
  /** Options that take a value, e.g. `v`. */
  readonly valued: string;
}

export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  /** Positional arguments, in order. */
  readonly args: readonly string[];
}

const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

export function parseOptions(words: readonly string[], spec: OptionSpec): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (optionsEnded || word === '-' || !word.startsWith('-')) {
      args.push(word);
    } else if (word === '--') {
      optionsEnded = true;
    } else {
      const taken = readOption(word, words[i + 1], spec, flags, values);
      i += taken;
    }
  }
  return { flags, values, args };
}

/** Reads one `-…` word into flags/values; returns how many following words it consumed. */
function readOption(
  word: string, next: string | undefined, spec: OptionSpec, flags: Set<string>, values: Map<string, string>,
): number {
  // A bundle of switches (`-sw`); a valued option in it takes the rest of the word, or the next word.
  for (let j = 1; j < word.length; j++) {
    const c = word[j] as string;
    if (spec.valued.includes(c)) {
      const glued = word.slice(j + 1);
      if (glued !== '') {
        values.set(c, j === 1 && glued.startsWith('=') ? glued.slice(1) : glued);
        return 0;
      }
      if (next === undefined || (next.startsWith('-') && next !== '-' && !NEGATIVE_NUMBER.test(next))) {
        throw new CliError(`Missing argument for option: ${c}`);
      }
      values.set(c, next);
      return 1;
    }
    if (!spec.flags.includes(c)) throw new CliError(`Unrecognized option: ${word}`);
    flags.add(c);
  }
  return 0;
}

/**
 * An integer option as Java's Integer.parseInt reads it (optional sign, decimal digits, 32
 * bits); `fallback` when absent. zkCli crashes on anything else; we say which option is wrong.
 */
export function intOption(a: ParsedArgs, letter: string, fallback: number): number {
  const text = a.values.get(letter);
  if (text === undefined) return fallback;
  const n = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new CliError(`-${letter} argument must be an int value`);
  }
  return n;
}
