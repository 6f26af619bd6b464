import { seededRandom } from '@paddock/edges';

/** The fault kinds a schedule may inject; `faults` names the ones it does. */
const FAULT_KINDS = ['crash', 'partition', 'oneway', 'minority', 'bridge', 'stall', 'flaky', 'clientCrash'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Scripted fault sequences on top of the random ones (faults.ts): 'none', or 'lagging-highest'
 * (the highest id is cut off while the others write on, the leader then crashes, and both
 * come back: the next election must not pick the server that lags).
 */
const SCENARIOS = ['none', 'lagging-highest'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Row {
  /** The range a schedule's value is drawn from (by its seed) unless SIM_KNOBS fixes it. */
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly doc: string;
}

/**
 * Every knob of a schedule, one row each: what it means and the range its value is drawn from.
 * A schedule is a seed plus these values; printing all of them (formatKnobs) and passing them
 * back (SIM_KNOBS) replays it exactly.
 */
const KNOBS = {
  servers: { min: 3, max: 5, integer: true, doc: 'ensemble size (drawn as 3 or 5)' },
  clients: { min: 2, max: 4, integer: true, doc: 'clients issuing operations' },
  steps: { min: 400, max: 400, integer: true, doc: 'events in the fault phase' },
  recoveryMs: { min: 10_000, max: 10_000, integer: true, doc: 'heal phase: faults off, a write must be acknowledged within this many simulated ms' },
  keys: { min: 2, max: 4, integer: true, doc: 'register znodes /k0.. the clients share' },
  tickMs: { min: 100, max: 100, integer: true, doc: 'tickTime of every server (initLimit 10, syncLimit 5 ticks)' },
  delayMin: { min: 0.2, max: 1, integer: false, doc: 'smallest one-way message delay, ms' },
  delayMax: { min: 1, max: 8, integer: false, doc: 'largest one-way message delay, ms' },
  loss: { min: 0, max: 0.2, integer: false, doc: 'per election message: its connection breaks (in-flight lost; the next send redials and each side repeats its newest message)' },
  dup: { min: 0, max: 0.1, integer: false, doc: 'per election message: delivered twice (a repeat after a reconnect)' },
  reorder: { min: 0, max: 0.3, integer: false, doc: 'per election message: held back up to 5 x delayMax (what follows on its link waits; other links overtake it)' },
  streamReset: { min: 0, max: 0.01, integer: false, doc: 'per packet: a quorum or client connection breaks (TCP reset)' },
  fsyncMs: { min: 0.5, max: 4, integer: false, doc: 'fsync latency, ms (group commit: one fsync covers all appended before it)' },
  finalizeMs: { min: 200, max: 200, integer: true, doc: "election's finalize wait (ZooKeeper: 200 ms; 10..50 in one schedule of five, where split decisions are likelier)" },
  clockDrift: { min: 0, max: 0.05, integer: false, doc: 'each server clock runs at a rate in [1-d, 1+d]' },
  faultGapMs: { min: 50, max: 300, integer: false, doc: 'mean time between faults' },
  faultMs: { min: 100, max: 900, integer: false, doc: 'mean fault duration (partition, crash, stall, flaky link)' },
  window: { min: 2, max: 12, integer: true, doc: 'recent txns kept for DIFF (ZooKeeper: 500); small, so SNAP and TRUNC happen' },
  sessionMs: { min: 600, max: 1500, integer: true, doc: 'client session timeout, ms' },
  thinkMs: { min: 2, max: 40, integer: false, doc: 'client pause between operations, ms' },
} as const satisfies Record<string, Row>;

type KnobName = keyof typeof KNOBS;
export type Knobs = { -readonly [K in KnobName]: number } & { faults: FaultKind[]; scenario: Scenario };

/** The knobs of schedule `seed`: drawn from the table by a stream of its own, then `fixed` on top. */
export function knobsFor(seed: number, fixed: Partial<Knobs> = {}): Knobs {
  const rnd = seededRandom((seed ^ 0x5bd1e995) >>> 0);
  const k = { scenario: 'none' } as Knobs;
  for (const [name, row] of Object.entries(KNOBS) as [KnobName, Row][]) {
    const v = row.min + rnd() * (row.max - row.min);
    k[name] = row.integer ? Math.round(v) : Math.round(v * 1000) / 1000;
  }
  k.servers = rnd() < 0.5 ? 3 : 5;
  // Each kind in 70% of schedules (at least one), so kinds also meet in small combinations.
  k.faults = FAULT_KINDS.filter(() => rnd() < 0.7);
  if (k.faults.length === 0) k.faults = [FAULT_KINDS[Math.floor(rnd() * FAULT_KINDS.length)]!];
  // One schedule in five elects with a short finalize wait, where split decisions are likelier.
  if (rnd() < 0.2) k.finalizeMs = 10 + Math.round(rnd() * 40);
  // One in ten plays the scripted scenario instead of random faults, with the events it needs
  // and links that do not break on their own (a reset would re-elect before its time).
  if (rnd() < 0.1) {
    k.scenario = 'lagging-highest';
    k.faults = [];
    k.steps = 1200;
    k.streamReset = 0;
    k.loss = 0;
  }
  if (k.delayMax < k.delayMin) k.delayMax = k.delayMin;
  return { ...k, ...fixed };
}

/** `name=value,...` with every knob: what SIM_KNOBS takes back. */
export function formatKnobs(k: Knobs): string {
  const parts = (Object.keys(KNOBS) as KnobName[]).map((n) => `${n}=${k[n]}`);
  parts.push(`faults=${k.faults.join('+') || 'none'}`, `scenario=${k.scenario}`);
  return parts.join(',');
}

/** Reads SIM_KNOBS-style text (`steps=800,faults=crash+stall`); a bad name or value throws naming it. */
export function parseKnobs(text: string | undefined): Partial<Knobs> {
  const out: Partial<Knobs> = {};
  if (!text) return out;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (name === 'scenario') {
      if (!(SCENARIOS as readonly string[]).includes(value ?? '')) throw new Error(`SIM_KNOBS: scenario "${value}" is not one of ${SCENARIOS.join(', ')}`);
      out.scenario = value as Scenario;
      continue;
    }
    if (name === 'faults') {
      const kinds = value === 'none' ? [] : (value ?? '').split('+');
      const bad = kinds.find((f) => !(FAULT_KINDS as readonly string[]).includes(f));
      if (bad !== undefined) throw new Error(`SIM_KNOBS: fault kind "${bad}" is not one of ${FAULT_KINDS.join(', ')}`);
      out.faults = kinds as FaultKind[];
      continue;
    }
    if (!name || !(name in KNOBS)) throw new Error(`SIM_KNOBS: "${name}" is not a knob (knobs: ${Object.keys(KNOBS).join(', ')}, faults, scenario)`);
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw new Error(`SIM_KNOBS: ${name}=${value} is not a non-negative number`);
    out[name as KnobName] = n;
  }
  return out;
}
