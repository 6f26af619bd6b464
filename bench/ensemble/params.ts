import { intFlagsOnto, parseSuiteFlags, sectionsFlag } from '../support/flags.js';

/** Everything an ensemble bench run depends on; both ensembles get exactly the same values. */
export interface EnsembleBenchParams {
  /** Sessions driving each write workload, all on one member (the follower or the leader). */
  readonly sessions: number;
  /** Requests in flight per session. */
  readonly window: number;
  /** Sessions reading, spread over the three members in turn. */
  readonly readSessions: number;
  /** Bytes of data per node read or written. */
  readonly dataBytes: number;
  /** Length of one measured run of one workload on one ensemble. */
  readonly runMs: number;
  /** Upper bound on operations in one run, whatever the time. */
  readonly maxOpsPerRun: number;
  /** Measured runs per workload and ensemble; the ensembles alternate who goes first. */
  readonly rounds: number;
  /** Unmeasured load per workload and ensemble before the first round (JIT, tiering). */
  readonly warmupMs: number;
  /** Leader kills per ensemble in the write-gap section. */
  readonly kills: number;
  /** Steady single-writer time before each kill (and after the killed member is back). */
  readonly settleMs: number;
  /** Bound on one outage: no ack for this long after a kill fails the run. */
  readonly gapTimeoutMs: number;
  /** zoo.cfg tickTime on every member of both ensembles. */
  readonly tickTime: number;
  /** Bound on an ensemble's start or a killed member's return, election included. */
  readonly startTimeoutMs: number;
  /** Floor section: measured writes per round of each raw kind and each single writer. */
  readonly floorOps: number;
}

export const DEFAULT_PARAMS: EnsembleBenchParams = {
  sessions: 4,
  window: 32,
  readSessions: 6,
  dataBytes: 100,
  runMs: 5000,
  maxOpsPerRun: 2_000_000,
  rounds: 2,
  warmupMs: 2000,
  kills: 5,
  settleMs: 2000,
  gapTimeoutMs: 60_000,
  tickTime: 2000,
  startTimeoutMs: 90_000,
  floorOps: 2000,
};

/** --quick: a smoke run of every part in well under a minute per ensemble; numbers mean little. */
const QUICK: Partial<EnsembleBenchParams> = {
  sessions: 2, window: 4, readSessions: 3, runMs: 300, rounds: 1, warmupMs: 0, kills: 1, settleMs: 300, floorOps: 50,
};

/** The parts of a run, in the order they run; `--sections` picks some. */
export const SECTIONS = ['floor', 'writes', 'reads', 'gap'] as const;
type Section = (typeof SECTIONS)[number];

export interface EnsembleBenchCommand {
  readonly params: EnsembleBenchParams;
  /** Skip ZooKeeper (no ratios); for a machine without Java. */
  readonly oursOnly: boolean;
  /** Run our members under node --cpu-prof and print each one's hot spots. */
  readonly profile: boolean;
  readonly sections: readonly Section[];
}

const USAGE = `Usage: npm run bench -- ensemble [options]
  three-server ensembles on loopback, Paddock vs Apache ZooKeeper 3.8, both forceSync=yes
  --sessions <n>      sessions per write workload, all on one member (default ${DEFAULT_PARAMS.sessions})
  --window <n>        requests in flight per session (default ${DEFAULT_PARAMS.window})
  --read-sessions <n> getData sessions, spread over the three members (default ${DEFAULT_PARAMS.readSessions})
  --run-ms <ms>       length of one measured run (default ${DEFAULT_PARAMS.runMs})
  --rounds <n>        measured runs per workload and ensemble (default ${DEFAULT_PARAMS.rounds})
  --warmup-ms <ms>    warm-up per workload and ensemble (default ${DEFAULT_PARAMS.warmupMs})
  --kills <n>         leader kill -9s per ensemble in the gap section (default ${DEFAULT_PARAMS.kills})
  --settle-ms <ms>    steady writes before each kill (default ${DEFAULT_PARAMS.settleMs})
  --tick-time <ms>    tickTime on every member (default ${DEFAULT_PARAMS.tickTime})
  --floor-ops <n>     floor section: writes per round of each raw kind and each single writer (default ${DEFAULT_PARAMS.floorOps})
  --quick             smoke run: ${Object.entries(QUICK).map(([k, v]) => `${k}=${v}`).join(' ')} (flags given still win)
  --ours-only         do not start ZooKeeper (no ratios)
  --profile           run our members (and the floor's single server) under node --cpu-prof and print each
                      one's hot spots (a member kill -9'ed in the gap section leaves no profile: use with
                      --sections floor,writes,reads)
  --sections <list>   comma-separated parts (default all: ${SECTIONS.join(',')}):
                      floor   one writer, 1 setData in flight, on a standalone server and through the leader
                              and a follower, beside a raw write + fdatasync of 100 B on the same disk
                      writes  setData and create through a follower and through the leader
                      reads   getData spread over the three members
                      gap     one writer, 1 in flight, while the leader is kill -9'ed and restarted`;

const LIMITS = {
  sessions: [1, 64], window: [1, 1024], 'read-sessions': [1, 64], 'run-ms': [100, 120_000], rounds: [1, 20],
  'warmup-ms': [0, 120_000], kills: [1, 50], 'settle-ms': [0, 60_000], 'tick-time': [100, 10_000],
  'floor-ops': [10, 100_000],
} as const;
const FLAGS = Object.keys(LIMITS) as (keyof typeof LIMITS)[];

/** Parses the suite's own arguments (after `ensemble`); throws with the usage on a bad one. */
export function parseEnsembleArgs(argv: readonly string[]): EnsembleBenchCommand {
  const values = parseSuiteFlags(argv, {
    quick: { type: 'boolean' },
    'ours-only': { type: 'boolean' },
    profile: { type: 'boolean' },
    sections: { type: 'string' },
    ...Object.fromEntries(FLAGS.map((k) => [k, { type: 'string' as const }])),
  }, USAGE);
  const base = values.quick === true ? { ...DEFAULT_PARAMS, ...QUICK } : DEFAULT_PARAMS;
  return {
    oursOnly: values['ours-only'] === true,
    profile: values.profile === true,
    sections: sectionsFlag(values.sections, SECTIONS, USAGE),
    params: intFlagsOnto(base, FLAGS, values, LIMITS, USAGE),
  };
}

export function describeParams(p: EnsembleBenchParams): string {
  return `writes: ${p.sessions} sessions x ${p.window} in flight on one member; reads: ${p.readSessions} sessions x ${p.window} over the three; `
    + `data=${p.dataBytes}B run=${p.runMs}ms x ${p.rounds} rounds, warmup=${p.warmupMs}ms; gap: ${p.kills} kills, settle ${p.settleMs}ms; floor: ${p.floorOps} ops x ${p.rounds} rounds; `
    + `tickTime=${p.tickTime} initLimit=10 syncLimit=5 forceSync=yes maxClientCnxns=0 on every member, the rest each server's defaults`;
}
