import { CliError } from './cli-error.js';
import { NO_OPTIONS, type Command } from './command.js';
import { tokenize } from './tokenize.js';

/** Lines kept for `redo`; an older number is out of range. */
const MAX_KEPT = 10_000;
/** `history` lists the current line and the ten before it, as zkCli's. */
const SHOWN = 10;

/**
 * The shell's numbered lines (zkCli's history map and commandCount): the line being run has
 * number `count`, which the prompt shows, and the count moves on once it has run.
 */
export class CommandHistory {
  private readonly lines = new Map<number, string>();
  count = 0;

  /** The line now being run. */
  record(line: string): void {
    this.lines.set(this.count, line);
    this.lines.delete(this.count - MAX_KEPT);
  }

  /** The current line is done; the next gets the next number. */
  advance(): void {
    this.count++;
  }

  get(n: number): string | undefined {
    return this.lines.get(n);
  }
}

/** Java's Integer.decode: a sign, then decimal, 0x/0X/# hex or 0-led octal, within 32 bits. */
function javaDecode(text: string): number | null {
  const m = /^([+-]?)(0[xX]|#|0(?=\d))?([0-9a-fA-F]+)$/.exec(text);
  if (!m) return null;
  const radix = m[2] === undefined ? 10 : m[2] === '0' ? 8 : 16;
  const digits = m[3] as string;
  if (![...digits].every((c) => Number.isInteger(parseInt(c, radix)))) return null;
  const n = parseInt(`${m[1]}${digits}`, radix);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : null;
}

const history: Command = {
  name: 'history', usage: 'history ', options: NO_OPTIONS, minArgs: 0, offline: true,
  async run(ctx) {
    const h = ctx.session.history;
    const out: string[] = [];
    for (let i = Math.max(0, h.count - SHOWN); i <= h.count; i++) out.push(`${i} - ${h.get(i) ?? 'null'}\n`);
    ctx.out(out.join(''));
  },
};

const redo: Command = {
  name: 'redo', usage: 'redo cmdno', options: NO_OPTIONS, minArgs: 0, offline: true,
  async run(ctx, a) {
    const text = a.args[0];
    // zkCli does nothing for a bare `redo`.
    if (text === undefined) return;
    const n = javaDecode(text);
    // zkCli's shell dies of a NumberFormatException here; we refuse the one command.
    if (n === null) throw new CliError(`redo: "${text}" is not a command number`);
    const h = ctx.session.history;
    const line = h.get(n);
    if (n < 0 || n >= h.count || line === undefined) throw new CliError('Command index out of range');
    const words = tokenize(line);
    if (words[0] === 'redo') throw new CliError('No redoing redos');
    h.record(line);
    const code = await ctx.dispatch(words);
    if (code !== 0) throw new CliError('', code);
  },
};

export const HISTORY_COMMANDS: readonly Command[] = [history, redo];
