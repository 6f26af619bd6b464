import { parseArgs } from 'node:util';
import { DEFAULT_BASE_PORT, maxBasePort } from './plan.js';

export const USAGE = `Usage: npm run ensemble [-- options]

Starts a Paddock ensemble on this machine (127.0.0.1), its data in ./data/ensemble/serverN,
prints the connect string once every server serves, and stops them all on Ctrl-C or SIGTERM.

Options:
  --size <3|5>        how many servers (default 3)
  --base-port <n>     server N takes clients on n+N-1, quorum n+707+N-1, election
                      n+1707+N-1, AdminServer n+5900+N-1 (default 2181: 2181, 2888, 3888, 8081)
  -h, --help          show this help
`;

export interface EnsembleArgs {
  readonly size: number;
  readonly basePort: number;
}

/** A bad flag or value, reported as one line naming it. */
export class UsageError extends Error {}

const SIZES = [3, 5] as const;

function intOf(flag: string, text: string, min: number, max: number, rule: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${flag} must be ${rule}, got "${text}"`);
  return n;
}

/** Parses the launcher's flags; throws UsageError naming a bad one. */
export function parseEnsembleArgs(argv: readonly string[]): EnsembleArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], strict: true,
      options: { size: { type: 'string' }, 'base-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const sizeText = values.size ?? '3';
  const size = SIZES.find((s) => String(s) === sizeText);
  if (size === undefined) throw new UsageError(`--size must be 3 or 5, got "${sizeText}"`);
  const top = maxBasePort(size);
  const basePort = values['base-port'] === undefined
    ? DEFAULT_BASE_PORT
    : intOf('base-port', values['base-port'], 1024, top, `a port from 1024 to ${top} (its AdminServer ports are 5900 above it)`);
  return { size, basePort };
}
