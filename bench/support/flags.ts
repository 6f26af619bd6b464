import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad or missing flag (printed without a stack trace, exit 2), or `--help` (printed, exit 0). */
export class UsageError extends Error {
  constructor(message: string, readonly help = false) {
    super(message);
  }
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;
/** What parseArgs gives for `options`: each flag's string or boolean, or undefined. */
export type FlagValues<O extends FlagOptions> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; options: O }>>['values'];

/**
 * A suite's flags by node's parseArgs (strict): `--help` or `-h` asks for the usage; an unknown
 * or malformed flag throws naming it, with the usage.
 */
export function parseSuiteFlags<O extends FlagOptions>(argv: readonly string[], options: O, usage: string): FlagValues<O> {
  if (argv.includes('--help') || argv.includes('-h')) throw new UsageError(usage, true);
  try {
    return parseArgs({ args: [...argv], strict: true, options }).values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}

/** An integer flag within [min, max]; a bad value throws naming the flag, the range and the usage. */
export function intFlag(
  flag: string, text: string | undefined, fallback: number, [min, max]: readonly [number, number], usage: string,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${flag} expects an integer in ${min}..${max}, got "${text}"\n${usage}`);
  return n;
}

/** `--log-txns` → `logTxns`. */
function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Integer flags onto a params object: each of `flags` sets the field its camel-case name names
 * (`--warmup-ms` → `warmupMs`), within its `limits`; flags not given keep `defaults`.
 */
export function intFlagsOnto<P extends object, F extends string>(
  defaults: P, flags: readonly F[], values: Readonly<Record<string, unknown>>,
  limits: Readonly<Record<F, readonly [number, number]>>, usage: string,
): P {
  const out = { ...defaults } as Record<string, unknown>;
  for (const flag of flags) {
    const key = camel(flag);
    const fallback = out[key];
    if (typeof fallback !== 'number') throw new Error(`--${flag}: no numeric field ${key} to set`);
    const text = values[flag];
    out[key] = intFlag(flag, typeof text === 'string' ? text : undefined, fallback, limits[flag], usage);
  }
  return out as P;
}

/** `--sections a,b` (or another list flag): some of `all`, kept in their own order; none given means all. */
export function sectionsFlag<S extends string>(text: string | undefined, all: readonly S[], usage: string, flag = 'sections'): readonly S[] {
  if (text === undefined) return all;
  const picked = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const bad = picked.find((t) => !(all as readonly string[]).includes(t));
  if (bad !== undefined || picked.length === 0) throw new UsageError(`--${flag} takes some of ${all.join(',')}, got "${text}"\n${usage}`);
  return all.filter((s) => picked.includes(s));
}
