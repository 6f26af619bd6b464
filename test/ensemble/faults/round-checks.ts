import { type CheckResult, type ZkInput, checkLinearizability, zookeeperModel } from '../../model/linearizability/index.js';
import type { MixedEnsemble } from '../support/mixed.js';
import { childrenAt, treeAt, treeDiff } from '../support/tree-read.js';
import type { MinorityWatch } from './faults.js';
import type { RoundKeys } from './op-mix.js';
import type { Entry, Recorder } from './recorder.js';
import { type ZkSession, openSession } from './zk-session.js';

/** Tries per final read before the round gives up on a server that does not answer. */
const FINAL_TRIES = 3;
const FINAL_SESSION_MS = 10_000;

/**
 * After the ensemble healed: from each server, sync + getData of every register and sync +
 * getChildren of the queue, recorded as synced reads of a client of its own. The checker then
 * holds the end state each server serves against every acknowledged write.
 */
export async function finalReads(ens: MixedEnsemble, keys: RoundKeys, rec: Recorder): Promise<void> {
  const reads: ZkInput[] = [
    ...keys.registers.map((path): ZkInput => ({ op: 'getData', path })),
    { op: 'getChildren', path: keys.queue },
  ];
  for (const id of ens.ids) {
    let session: ZkSession | null = null;
    let generation = 0;
    try {
      for (const input of reads) {
        for (let attempt = 1; ; attempt++) {
          session ??= await openSession('coord', ens.connectString([id]), FINAL_SESSION_MS);
          const e = rec.call(`final-${id}.${generation}`, input, id, true);
          try {
            await session.sync(input.path);
            rec.ret(e, await session.run(input));
            break;
          } catch (err) {
            generation++;
            await session.close();
            session = null;
            if (attempt >= FINAL_TRIES) throw new Error(`server ${id} did not answer ${input.op} ${input.path} after ${attempt} tries: ${String(err)}`);
          }
        }
      }
    } finally {
      await session?.close();
    }
  }
}

/** Each acknowledged create (parent → names) that a server, read after sync, does not have. */
export async function lostWrites(ens: MixedEnsemble, acked: ReadonlyMap<string, ReadonlySet<string>>): Promise<string[]> {
  const lost: string[] = [];
  for (const id of ens.ids) {
    for (const [parent, names] of acked) {
      if (names.size === 0) continue;
      const have = await childrenAt(ens.clientPort(id), parent);
      const missing = [...names].filter((n) => !have.has(n));
      if (missing.length > 0) lost.push(`server ${id} lacks ${missing.length} of ${names.size} acknowledged under ${parent}: ${missing.slice(0, 5).join(', ')}`);
    }
  }
  return lost;
}

/** Where the servers' copies of the round's subtree (data and Stat of each node) differ from the first's. */
export async function divergence(ens: MixedEnsemble, root: string): Promise<string[]> {
  const [first, ...rest] = ens.ids;
  const base = await treeAt(ens.clientPort(first!), root);
  const out: string[] = [];
  for (const id of rest) {
    const diff = treeDiff(base, await treeAt(ens.clientPort(id), root));
    if (diff.length > 0) out.push(`server ${id} vs ${first}: ${diff.length} nodes differ, e.g. ${diff.slice(0, 3).join('; ')}`);
  }
  return out;
}

const WRITES = new Set<ZkInput['op']>(['create', 'delete', 'setData', 'createSequential']);

/**
 * A leader cut off from its followers must not acknowledge a write it received after the cut
 * (nobody can ack its proposal), nor any write after it said it stopped leading: judged from
 * the replies its pinned clients got while the links were down, by the events' order.
 */
export function minorityReport(watch: MinorityWatch, entries: readonly Entry[]): { violations: string[]; tally: string } {
  const violations: string[] = [];
  let sent = 0;
  for (const e of entries) {
    if (e.via !== watch.leader || !WRITES.has(e.input.op) || e.call >= watch.healed) continue;
    if (e.call >= watch.from) sent++;
    if (e.output === undefined || e.ret >= watch.healed) continue;
    const what = `${e.client} ${e.input.op} ${e.input.path} [${e.call.toFixed(0)}, ${e.ret.toFixed(0)}] → ${e.output.code}`;
    if (e.call >= watch.from) violations.push(`minority leader ${watch.leader} acknowledged a write sent after its links went down at ${watch.from.toFixed(0)}: ${what}`);
    else if (e.ret > watch.stepDown) violations.push(`minority leader ${watch.leader} acknowledged a write after it stopped leading at ${watch.stepDown.toFixed(0)}: ${what}`);
  }
  return { violations, tally: `${sent} writes sent to it while cut off, ${violations.length} acknowledged against the rules` };
}

/** The round's history against the ZooKeeper model: writes and synced reads linearizable, plain reads sequentially consistent. */
export function checkRound(keys: RoundKeys, rec: Recorder, maxSteps: number): CheckResult {
  return checkLinearizability(zookeeperModel({ sequenceParents: [keys.queue] }), rec.history(), { reads: 'sequential', maxSteps });
}
