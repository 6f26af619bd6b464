import type { ChildrenWatchMode } from '@paddock/registry';
import { UsageError, intFlagsOnto, parseSuiteFlags, sectionsFlag as sections } from '../support/flags.js';

/** Everything a registry bench run depends on; both servers get exactly the same values. */
export interface RegistryBenchParams {
  /** Consumer registries (one session each) following the propagation service. */
  readonly consumers: number;
  /** Processes the consumers are spread over (each a Node process of its own, as consumers are). */
  readonly driverProcesses: number;
  /** Providers already in that service's list, so each change re-reads a realistic list. */
  readonly baseProviders: number;
  /** Provider joins, and as many leaves, per round and server. */
  readonly events: number;
  /** Unmeasured joins and leaves per server before the first round (JVM JIT, V8 tiering). */
  readonly warmupEvents: number;
  /** Measured rounds; the servers alternate who goes first. */
  readonly rounds: number;
  /** Services in the load test. */
  readonly services: number;
  /** Providers per service in the load test. */
  readonly providersPerService: number;
  /** Timed loads per round and server (plus one unmeasured per server before the first round). */
  readonly loads: number;
  /** Pause after each server's turn (a join and its leave) before the other server's turn. */
  readonly settleMs: number;
  /** How consumers watch lists (the registry's watchMode); `oneShot` is what a server without addWatch gets. */
  readonly watchMode: ChildrenWatchMode;
  /** Longest wait for one join or leave to reach every consumer, or for one load, before the run fails. */
  readonly eventTimeoutMs: number;
}

export const DEFAULT_PARAMS: RegistryBenchParams = {
  consumers: 1000,
  driverProcesses: 4,
  baseProviders: 20,
  events: 50,
  warmupEvents: 5,
  rounds: 4,
  services: 100,
  providersPerService: 100,
  loads: 25,
  settleMs: 100,
  watchMode: 'auto',
  eventTimeoutMs: 30_000,
};

/** The parts of a run, in the order they run; `--sections` picks some. */
export const SECTIONS = ['propagation', 'load'] as const;
export type Section = (typeof SECTIONS)[number];

export interface RegistryBenchCommand {
  readonly params: RegistryBenchParams;
  /** Skip ZooKeeper (no ratios); for a machine without Java. */
  readonly oursOnly: boolean;
  readonly sections: readonly Section[];
}

const USAGE = `Usage: npm run bench -- registry [options]
  --consumers <n>      consumer registries (one session each) following one service (default ${DEFAULT_PARAMS.consumers})
  --driver-processes <n>  processes the consumers are spread over (default ${DEFAULT_PARAMS.driverProcesses})
  --base-providers <n> providers already listed in that service (default ${DEFAULT_PARAMS.baseProviders})
  --events <n>         provider joins and as many leaves per round and server (default ${DEFAULT_PARAMS.events})
  --warmup-events <n>  unmeasured joins and leaves per server first (default ${DEFAULT_PARAMS.warmupEvents})
  --rounds <n>         measured rounds, servers alternating (default ${DEFAULT_PARAMS.rounds})
  --settle-ms <ms>     pause after each server's turn before the other's (default ${DEFAULT_PARAMS.settleMs})
  --services <n>       services in the load test (default ${DEFAULT_PARAMS.services})
  --providers-per-service <n>  providers per service in the load test (default ${DEFAULT_PARAMS.providersPerService})
  --loads <n>          timed loads per round and server (default ${DEFAULT_PARAMS.loads})
  --watch-mode <mode>  how consumers watch lists: auto (persistent recursive watches) or oneShot (default ${DEFAULT_PARAMS.watchMode})
  --ours-only          do not start ZooKeeper (no ratios)
  --sections <list>    comma-separated parts to run (default all: ${SECTIONS.join(',')})`;

const LIMITS = {
  consumers: [1, 5000], 'driver-processes': [1, 64], 'base-providers': [0, 1000], events: [1, 1000], 'warmup-events': [0, 1000], rounds: [1, 20], 'settle-ms': [0, 10_000],
  services: [1, 1000], 'providers-per-service': [1, 1000], loads: [1, 100],
} as const;

const sectionsFlag = (text: string | undefined): readonly Section[] => sections(text, SECTIONS, USAGE);

const WATCH_MODES: readonly ChildrenWatchMode[] = ['auto', 'oneShot'];

function watchModeFlag(text: string | undefined): ChildrenWatchMode {
  if (text === undefined) return DEFAULT_PARAMS.watchMode;
  const mode = WATCH_MODES.find((m) => m === text);
  if (mode === undefined) throw new UsageError(`--watch-mode takes ${WATCH_MODES.join(' or ')}, got "${text}"\n${USAGE}`);
  return mode;
}

/** Parses the suite's own arguments (after `registry`); throws with the usage on a bad one. */
export function parseRegistryArgs(argv: readonly string[]): RegistryBenchCommand {
  const values = parseSuiteFlags(argv, {
      'ours-only': { type: 'boolean' },
      sections: { type: 'string' },
      'watch-mode': { type: 'string' },
      ...Object.fromEntries(Object.keys(LIMITS).map((k) => [k, { type: 'string' as const }])),
    }, USAGE);
  return {
    oursOnly: values['ours-only'] === true,
    sections: sectionsFlag(values.sections),
    params: {
      ...intFlagsOnto(DEFAULT_PARAMS, Object.keys(LIMITS) as (keyof typeof LIMITS)[], values, LIMITS, USAGE),
      watchMode: watchModeFlag(values['watch-mode']),
    },
  };
}

export function describeParams(p: RegistryBenchParams): string {
  return `propagation: ${p.consumers} consumer sessions in ${p.driverProcesses} processes following one service of ${p.baseProviders} providers, `
    + `${p.events} joins + ${p.events} leaves per round x ${p.rounds} rounds (warm-up ${p.warmupEvents}, ${p.settleMs} ms pause between turns); `
    + `load: ${p.services} services x ${p.providersPerService} providers = ${(p.services * p.providersPerService).toLocaleString('en-US')}, `
    + `${p.loads} loads per round; consumers' watch mode ${p.watchMode}; forceSync=no, maxClientCnxns=0 on both servers`;
}
