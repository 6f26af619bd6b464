import { afterEach, describe, expect, it } from 'vitest';
import { fourLetter } from '../support/zookeeper.js';
import { memberPorts, serverLines } from './support/paddock-ensemble.js';
import { PaddockProcess } from './support/paddock-process.js';

// Found by `npm run ensemble` (test/e2e/ensemble.test.ts): a member told to stop while it
// looks for a leader, as a follower is right after its leader stops, logs "shutting down" and
// never exits. One member of three started alone stays in that election for good.

const members: PaddockProcess[] = [];

afterEach(async () => {
  for (const m of members.splice(0)) await m.remove();
});

describe('a Paddock member stopped while it elects', () => {
  it('exits on SIGTERM (the election it waits for is abandoned)', async () => {
    const ports = await memberPorts(3);
    const member = new PaddockProcess(1, { lines: serverLines(ports), clientPort: ports[0]!.client, forceSync: false });
    members.push(member);
    member.start();
    // Listening and electing: srvr answers that it does not serve (bounded: 100 tries).
    for (let i = 0; i < 100; i++) {
      const srvr = await fourLetter(ports[0]!.client, 'srvr', '127.0.0.1', 500).catch(() => '');
      if (srvr.includes('not currently serving')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // stop() sends SIGTERM and only kills -9 after 10 s: settling within 5 s means it stopped by itself.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still running'>((r) => { timer = setTimeout(() => r('still running'), 5000); });
    const outcome = await Promise.race([member.stop().then(() => 'exited' as const), late]);
    clearTimeout(timer);
    expect(outcome, member.logTail(5)).toBe('exited');
    expect(member.logTail(3)).toContain('coordination server stopped');
  }, 30_000);
});
