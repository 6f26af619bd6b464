import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memberPorts, serverLines } from './support/paddock-ensemble.js';
import { PaddockProcess } from './support/paddock-process.js';

// Found by rolling-replace.test.ts: a member whose data dir does not load (here its epoch files
// contradict each other) retried every term at once, logging the same error several times a
// millisecond, for good. ZooKeeper's loadDataBase ends the process instead; so do we.

const members: PaddockProcess[] = [];
afterEach(async () => {
  for (const m of members.splice(0)) await m.remove();
});

describe('an ensemble member whose data does not load', () => {
  it('exits non-zero with one line naming the file, instead of retrying', async () => {
    const ports = await memberPorts(3);
    const member = new PaddockProcess(1, { lines: serverLines(ports), clientPort: ports[0]!.client, forceSync: false });
    members.push(member);
    mkdirSync(join(member.dataDir, 'version-2'), { recursive: true });
    writeFileSync(join(member.dataDir, 'version-2', 'currentEpoch'), '5');
    writeFileSync(join(member.dataDir, 'version-2', 'acceptedEpoch'), '3');
    member.start();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still running'>((r) => { timer = setTimeout(() => r('still running'), 10_000); });
    const code = await Promise.race([member.exit, late]);
    clearTimeout(timer);
    expect(code, member.logTail(5)).toBe(1);
    const log = member.logTail(20);
    expect(log).toMatch(/acceptedEpoch: the accepted epoch, 3, is less than the current epoch, 5/);
    // Once: one fatal log line, no retried terms.
    expect(log.split('\n').filter((l) => l.includes('"level":60')).length).toBe(1);
    expect(log).not.toContain('electing again');
  }, 30_000);
});
