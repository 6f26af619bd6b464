import type { CoordClient } from '@paddock/coord-client';
import type { FlagSpec } from '@paddock/edges';
import { CliError } from './cli-error.js';

/** What a command runs with. */
export interface CommandContext {
  /** The session, opened on first use: a command whose arguments are wrong never connects. */
  client(): Promise<CoordClient>;
  /** Parent of the service nodes. */
  readonly root: string;
  /** Where results go (stdout in the bin); failures are thrown, and printed by main. */
  out(text: string): void;
  /** Notes for a person beside the results (stderr in the bin), e.g. a watch's state changes. */
  note(text: string): void;
  /** Aborted by Ctrl-C (SIGINT) or SIGTERM: a command that runs until stopped ends then, with exit code 0. */
  readonly stop: AbortSignal;
}

/** A command's arguments: the positional ones in order, and the flags given by key (a switch is `true`). */
export interface CommandArgs {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

/** One row of the command table. */
export interface Command {
  /** The words that name it: `['services']`, `['config', 'get']`. */
  readonly words: readonly string[];
  /** Positional arguments for the usage line: `<required>` or `[optional]`, in order. */
  readonly args: readonly string[];
  /** Flags it accepts anywhere after its words (`--help` is always accepted). */
  readonly flags?: readonly FlagSpec[];
  readonly summary: string;
  /** More for `registry <command> --help`: what the arguments mean, the --json shape. */
  readonly details?: string;
  /** Runs until Ctrl-C (SIGINT) or SIGTERM, which then end it with exit code 0. */
  readonly untilStopped?: boolean;
  /** Validates the arguments before anything is sent; throws a usage error naming the bad one. */
  check?(a: CommandArgs): void;
  run(ctx: CommandContext, a: CommandArgs): Promise<void>;
}

/** `--json` on every listing command: one JSON document on one line instead of text lines. */
export const JSON_FLAG: FlagSpec = { names: ['--json'], key: 'json', help: 'print one JSON document (shapes: docs/registry-cli.md)' };

/** Positional argument `i`, which the table guarantees for required arguments. */
export function arg(a: CommandArgs, i: number): string {
  const v = a.positional[i];
  if (v === undefined) throw new CliError(`argument ${i} missing`);
  return v;
}

/** The value of a value flag, if given. */
export function flag(a: CommandArgs, key: string): string | undefined {
  const v = a.flags.get(key);
  return v === true ? undefined : v;
}

/** Prints `rows` as one JSON line under --json, else each row through `line`. */
export function listing<T>(ctx: CommandContext, a: CommandArgs, rows: readonly T[], line: (row: T) => string): void {
  if (a.flags.has('json')) ctx.out(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) ctx.out(line(r));
}
