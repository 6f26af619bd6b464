import { afterAll, describe, expect, it } from 'vitest';
import { childrenAt } from '../support/tree-read.js';
import { type FaultEnsemble, TIMING, startFaultEnsemble } from './fault-ensemble.js';
import { Recorder } from './recorder.js';
import { checkRound, finalReads, lostWrites } from './round-checks.js';
import { openSession } from './zk-session.js';

const STEP_MS = 240_000;
const WRITES = 20;

// The round's checks, shown to catch a loss on real processes: a member that forgets its
// disk (a fault no ZAB implementation survives, so it is not among the rounds' kinds) lets a
// quorum without the acknowledged writes elect a leader, and both the lost-write check and
// the linearizability checker must say so.
describe('the fault rounds\' checks on a planted loss', () => {
  let fe: FaultEnsemble | undefined;
  afterAll(async () => {
    await fe?.stop();
  }, 60_000);

  it('a member that forgets its disk loses acknowledged writes, and the checks name them', async () => {
    fe = await startFaultEnsemble(['paddock', 'paddock', 'paddock'], TIMING);
    const { ens } = fe;
    const rec = new Recorder();
    const keys = { registers: Array.from({ length: WRITES }, (_, i) => `/planted-${i}`), queue: '/planted-q' };
    const s = await openSession('coord', ens.connectString([3]), 4000);
    await s.run({ op: 'create', path: keys.queue, data: '' });
    await childrenAt(ens.clientPort(1), keys.queue); // 1 has it too (sync, then read)
    // Leader 3 and follower 2 acknowledge the writes; follower 1 is down meanwhile.
    await ens.kill(1);
    for (const path of keys.registers) {
      const input = { op: 'create', path, data: 'kept?' } as const;
      const e = rec.call('writer', input, 3);
      rec.ret(e, await s.run(input));
      if (e.output?.code !== 'ok') throw new Error(`create ${path}: ${e.output?.code}`);
    }
    await s.close();
    // 2 forgets everything; 1 and 2 elect 1, which never had the writes; 3 comes back to follow.
    await ens.kill(3);
    await ens.kill(2);
    await ens.seatAs(2, 'paddock');
    ens.start(1);
    ens.start(2);
    expect(await ens.waitForLeader([1, 2])).toBe(1);
    ens.start(3);
    await ens.waitForLeader(ens.ids);
    await finalReads(ens, keys, rec);
    const acked = new Map([['/', new Set(keys.registers.map((p) => p.slice(1)))]]);
    const lost = await lostWrites(ens, acked);
    expect(lost).toHaveLength(3);
    expect(lost[0]).toMatch(new RegExp(`server 1 lacks ${WRITES} of ${WRITES} acknowledged under /`));
    const check = checkRound(keys, rec, 1_000_000);
    expect(check.verdict).toBe('violation');
    if (check.verdict === 'violation') expect(check.violation.text).toMatch(/create \/planted-\d+ "kept\?" → ok/);
  }, STEP_MS);
});
