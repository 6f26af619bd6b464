import type { CoordClient } from '@paddock/coord-client';
import { CliError } from './cli-error.js';

/** What a command runs with. */
export interface CommandContext {
  /** The session, opened on first use: a command whose arguments are wrong never connects. */
  client(): Promise<CoordClient>;
  /** Parent of the service nodes. */
  readonly root: string;
  /** Where results go (stdout in the bin); failures are thrown, and printed by main. */
  out(text: string): void;
}

/** A command's arguments: the positional ones in order and the flags given. */
export interface CommandArgs {
  readonly positional: readonly string[];
  readonly flags: ReadonlySet<string>;
}

/** One row of the command table. */
export interface Command {
  /** The words that name it: `['services']`, `['config', 'get']`. */
  readonly words: readonly string[];
  /** Positional arguments for the usage line: `<required>` or `[optional]`, in order. */
  readonly args: readonly string[];
  /** Flags it accepts after its words, e.g. `--string`. */
  readonly flags?: readonly string[];
  readonly summary: string;
  /** Validates the arguments before anything is sent; throws a usage error naming the bad one. */
  check?(a: CommandArgs): void;
  run(ctx: CommandContext, a: CommandArgs): Promise<void>;
}

/** Positional argument `i`, which the table guarantees for required arguments. */
export function arg(a: CommandArgs, i: number): string {
  const v = a.positional[i];
  if (v === undefined) throw new CliError(`argument ${i} missing`);
  return v;
}
