import type { CoordClient } from '../index.js';
import type { OptionSpec, ParsedArgs } from './command-options.js';
import type { CliSession } from './session.js';

/** What a command runs with. */
export interface CommandContext {
  readonly session: CliSession;
  /** Runs a shell line's words as a command of its own (redo); resolves with its exit code. */
  dispatch(words: readonly string[]): Promise<number>;
  out(text: string): void;
  err(text: string): void;
}

/** One row of the command table. */
export interface Command {
  readonly name: string;
  /** zkCli's usage line, printed when arguments are missing and in the command list. */
  readonly usage: string;
  readonly options: OptionSpec;
  /** Positional arguments required after the options; fewer prints the usage. */
  readonly minArgs: number;
  /** Runs without a live session (the rest print "Not connected" then). */
  readonly offline?: boolean;
  /** zkCli's usage of the old `cmd path watch` form; a second argument then asks for a watch. */
  readonly legacyWatch?: string;
  /**
   * zkCli prints this command's option errors as commons-cli's exception (its class name, then
   * the message), as for setquota and delquota; the others print the message alone.
   */
  readonly javaParseErrors?: boolean;
  /** Checks the options together (e.g. one of a group), before the positional arguments are counted. */
  validate?(a: ParsedArgs): void;
  run(ctx: CommandContext, a: ParsedArgs): Promise<void>;
}

export const NO_OPTIONS: OptionSpec = { flags: '', valued: '' };

/**
 * The live client, opened now in one-shot mode. Commands check their arguments before asking
 * for it, so bad arguments never need a server.
 */
export function zkOf(ctx: CommandContext): Promise<CoordClient> {
  return ctx.session.use();
}

/** Positional argument `i`, which the table guarantees for i < minArgs. */
export function arg(a: ParsedArgs, i: number): string {
  const v = a.args[i];
  if (v === undefined) throw new Error(`argument ${i} missing`);
  return v;
}
