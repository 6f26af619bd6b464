import { intFlagsOnto, parseSuiteFlags, sectionsFlag as sections } from '../support/flags.js';

/** Everything a coord bench run depends on; both servers get exactly the same values. */
export interface CoordBenchParams {
  /** Sessions driving the getData/setData/create+delete workloads. */
  readonly sessions: number;
  /** Requests in flight per session (pipelining window). */
  readonly window: number;
  /** Bytes of data per node read or written. */
  readonly dataBytes: number;
  /** Length of one measured run of one workload on one server. */
  readonly runMs: number;
  /** Upper bound on operations in one run, whatever the time. */
  readonly maxOpsPerRun: number;
  /** Measured runs per workload and server; the servers alternate who goes first. */
  readonly rounds: number;
  /** Unmeasured load per workload and server before the first round (JVM JIT, V8 tiering). */
  readonly warmupMs: number;
  /** Sessions holding a data watch in the fan-out workload. */
  readonly watchers: number;
  /** Bound on fan-outs in one run of the fan-out workload. */
  readonly maxFanoutsPerRun: number;
  /** Longest wait for one fan-out to reach every watcher before the run fails. */
  readonly fanoutTimeoutMs: number;
  /** fdatasync the txn log before replying (zoo.cfg forceSync), on both servers alike. */
  readonly forceSync: boolean;
}

export const DEFAULT_PARAMS: CoordBenchParams = {
  sessions: 4,
  window: 32,
  dataBytes: 100,
  runMs: 2000,
  maxOpsPerRun: 2_000_000,
  rounds: 4,
  warmupMs: 4000,
  watchers: 100,
  maxFanoutsPerRun: 100_000,
  fanoutTimeoutMs: 10_000,
  // Compared with forceSync=no by default; --force-sync compares durable against durable.
  forceSync: false,
};

/** The parts of a run, in the order they run; `--sections` picks some. */
export const SECTIONS = ['main', 'durable', 'recovery', 'stall', 'unfinished'] as const;
type Section = (typeof SECTIONS)[number];

/** Sizes of the big-tree measurements (recovery time, memory per znode, snapshot stall). */
export interface BigTreeCommand {
  /** Znodes in the tree recovered, measured and snapshotted. */
  readonly znodes: number;
  /** setData txns in the log after the snapshot the recovery starts from. */
  readonly logTxns: number;
  /** Timed starts per server on the big data dir. */
  readonly restarts: number;
  /** ZooKeeper's -Xmx for the big tree. */
  readonly zkHeapMb: number;
}

export const DEFAULT_BIG: BigTreeCommand = { znodes: 1_000_000, logTxns: 10_000, restarts: 3, zkHeapMb: 4096 };

export interface CoordBenchCommand {
  readonly params: CoordBenchParams;
  /** Run our server under `node --cpu-prof` and print its hottest functions. */
  readonly profile: boolean;
  /** Skip ZooKeeper (no ratios); for a machine without Java. */
  readonly oursOnly: boolean;
  readonly sections: readonly Section[];
  readonly big: BigTreeCommand;
}

const USAGE = `Usage: npm run bench -- coord [options]
  --sessions <n>   sessions for reads/writes (default ${DEFAULT_PARAMS.sessions})
  --window <n>     requests in flight per session (default ${DEFAULT_PARAMS.window})
  --run-ms <ms>    length of one measured run (default ${DEFAULT_PARAMS.runMs})
  --rounds <n>     measured runs per workload and server (default ${DEFAULT_PARAMS.rounds})
  --warmup-ms <ms> warm-up per workload and server (default ${DEFAULT_PARAMS.warmupMs})
  --watchers <n>   sessions in the watch fan-out (default ${DEFAULT_PARAMS.watchers})
  --force-sync     both servers fdatasync their txn log before replying (default: forceSync=no)
  --profile        run our server under node --cpu-prof and print its hot spots
  --ours-only      do not start ZooKeeper (no ratios)
  --sections <list> comma-separated parts to run (default all: ${SECTIONS.join(',')}):
                   main     the table above (forceSync as --force-sync says)
                   durable  setData and create with forceSync=yes on both servers
                   recovery start-to-serving time and memory per znode on a big data dir
                   stall    event-loop delay while our server snapshots the big tree
                   unfinished  memory held for connections that send half a 1 MB frame and stall,
                            before and after the handshake, and how soon the server closes them
  --znodes <n>     znodes in the big tree (default ${DEFAULT_BIG.znodes})
  --log-txns <n>   txns logged after the big tree's snapshot (default ${DEFAULT_BIG.logTxns})
  --restarts <n>   timed starts per server on the big data dir (default ${DEFAULT_BIG.restarts})
  --zk-heap-mb <n> ZooKeeper's -Xmx for the big tree (default ${DEFAULT_BIG.zkHeapMb})`;

const LIMITS = {
  sessions: [1, 256], window: [1, 1024], 'run-ms': [100, 120_000], rounds: [1, 20],
  'warmup-ms': [0, 120_000], watchers: [1, 1000],
  znodes: [1000, 20_000_000], 'log-txns': [0, 10_000_000], restarts: [1, 20], 'zk-heap-mb': [256, 65_536],
} as const;

const sectionsFlag = (text: string | undefined): readonly Section[] => sections(text, SECTIONS, USAGE);

/** The flags of the big-tree sections, and of the others. */
const BIG_FLAGS = ['znodes', 'log-txns', 'restarts', 'zk-heap-mb'] as const;
const PARAM_FLAGS = ['sessions', 'window', 'run-ms', 'rounds', 'warmup-ms', 'watchers'] as const;

/** Parses the suite's own arguments (after `coord`); throws with the usage on a bad one. */
export function parseCoordArgs(argv: readonly string[]): CoordBenchCommand {
  const values = parseSuiteFlags(argv, {
      profile: { type: 'boolean' },
      'force-sync': { type: 'boolean' },
      'ours-only': { type: 'boolean' },
      sections: { type: 'string' },
      ...Object.fromEntries(Object.keys(LIMITS).map((k) => [k, { type: 'string' as const }])),
    }, USAGE);
  return {
    profile: values.profile === true,
    oursOnly: values['ours-only'] === true,
    sections: sectionsFlag(values.sections),
    big: intFlagsOnto(DEFAULT_BIG, BIG_FLAGS, values, LIMITS, USAGE),
    params: intFlagsOnto({ ...DEFAULT_PARAMS, forceSync: values['force-sync'] === true }, PARAM_FLAGS, values, LIMITS, USAGE),
  };
}

export function describeParams(p: CoordBenchParams): string {
  return `sessions=${p.sessions} window=${p.window} (in flight: ${p.sessions * p.window}) data=${p.dataBytes}B `
    + `run=${p.runMs}ms x ${p.rounds} rounds, warmup=${p.warmupMs}ms per workload and server, `
    + `fan-out watchers=${p.watchers}, forceSync=${p.forceSync ? 'yes' : 'no'} on both servers`;
}

export function describeBig(b: BigTreeCommand, dataBytes: number): string {
  return `big tree: znodes=${b.znodes} (data ${dataBytes}B, 1000 per folder), log after its snapshot=${b.logTxns} setData txns, `
    + `timed starts=${b.restarts} per server, ZooKeeper -Xmx${b.zkHeapMb}m, forceSync=no while writing it`;
}
