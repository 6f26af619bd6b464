import { UsageError, intFlag as int, intFlagsOnto, parseSuiteFlags, sectionsFlag } from '../support/flags.js';
import { SYSTEM_NAMES, isSystemName, type SystemName } from './systems.js';

/** Everything an rpc bench run depends on; every system gets exactly the same values. */
export interface RpcBenchParams {
  /** Calls in flight at all times (closed loop), spread over the connections. */
  readonly concurrency: number;
  /** Each system is measured over each of these numbers of connections. */
  readonly connections: readonly number[];
  /** Unmeasured load before the first round, per system and connection count. */
  readonly warmupMs: number;
  readonly roundMs: number;
  readonly rounds: number;
  /** Bytes echoed per call. */
  readonly payloadBytes: number;
  /** Every this many calls of a worker, the reply is compared byte for byte with a fresh payload. */
  readonly verifyEvery: number;
}

export const DEFAULT_PARAMS: RpcBenchParams = {
  concurrency: 128,
  connections: [1, 8],
  warmupMs: 2000,
  roundMs: 2000,
  rounds: 3,
  payloadBytes: 100,
  verifyEvery: 16,
};

/** `--quick`: the same run, short (smoke tests, a first look); flags given with it still win. */
export const QUICK: Partial<RpcBenchParams> = { warmupMs: 300, roundMs: 500, rounds: 2 };

export interface RpcBenchCommand {
  readonly params: RpcBenchParams;
  readonly systems: readonly SystemName[];
  /** Run this system's server under --cpu-prof and profile the driver while it is measured. */
  readonly profile: SystemName | null;
}

const USAGE = `Usage: npm run bench -- rpc [options]
  --only <list>         systems to run, comma-separated (default all: ${SYSTEM_NAMES.join(',')})
  --concurrency <n>     calls in flight at all times (default ${DEFAULT_PARAMS.concurrency})
  --connections <list>  connection counts to measure each system over (default ${DEFAULT_PARAMS.connections.join(',')})
  --warmup-ms <n>       unmeasured load first, per system and connection count (default ${DEFAULT_PARAMS.warmupMs})
  --round-ms <n>        length of one measured round (default ${DEFAULT_PARAMS.roundMs})
  --rounds <n>          measured rounds (default ${DEFAULT_PARAMS.rounds})
  --bytes <n>           payload echoed per call (default ${DEFAULT_PARAMS.payloadBytes})
  --quick               short run: warm-up ${QUICK.warmupMs} ms, ${QUICK.rounds} rounds of ${QUICK.roundMs} ms
  --profile <system>    run that system's server under node --cpu-prof, profile the driver too, print both`;

const LIMITS = {
  concurrency: [1, 10_000], connections: [1, 64], 'warmup-ms': [0, 600_000], 'round-ms': [100, 600_000], rounds: [1, 100], bytes: [1, 1_000_000],
} as const;

const intFlag = (flag: keyof typeof LIMITS, text: string | undefined, fallback: number): number =>
  int(flag, text, fallback, LIMITS[flag], USAGE);

/** Parses the suite's own arguments (after `rpc`); throws with the usage on a bad one. */
export function parseRpcArgs(argv: readonly string[]): RpcBenchCommand {
  const values = parseSuiteFlags(argv, {
      only: { type: 'string' },
      quick: { type: 'boolean' },
      profile: { type: 'string' },
      ...Object.fromEntries(Object.keys(LIMITS).map((k) => [k, { type: 'string' as const }])),
    }, USAGE);
  const get = (k: keyof typeof LIMITS): string | undefined => (values as Record<string, string | undefined>)[k];
  const d: RpcBenchParams = { ...DEFAULT_PARAMS, ...(values.quick === true ? QUICK : {}) };
  const connections = get('connections')?.split(',').map((t) => intFlag('connections', t.trim(), 0)) ?? d.connections;
  const profile = values.profile ?? null;
  if (profile !== null && !isSystemName(profile)) throw new UsageError(`--profile takes one of ${SYSTEM_NAMES.join(',')}, got "${profile}"\n${USAGE}`);
  return {
    systems: sectionsFlag(values.only, SYSTEM_NAMES, USAGE, 'only'),
    profile,
    params: {
      ...intFlagsOnto(d, ['concurrency', 'warmup-ms', 'round-ms', 'rounds'], values, LIMITS, USAGE),
      connections: [...new Set(connections)],
      payloadBytes: intFlag('bytes', get('bytes'), d.payloadBytes),
    },
  };
}

export function describeParams(p: RpcBenchParams): string {
  return `${p.payloadBytes}-byte echo, ${p.concurrency} calls in flight (closed loop) over ${p.connections.join(' and over ')} connection(s); `
    + `warm-up ${p.warmupMs} ms, then ${p.rounds} rounds of ${p.roundMs} ms; every ${p.verifyEvery}th reply compared byte for byte, every reply's length checked`;
}
