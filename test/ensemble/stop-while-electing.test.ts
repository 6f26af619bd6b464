import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fourLetter } from '../support/zookeeper.js';
import { memberPorts, serverLines } from './support/paddock-ensemble.js';

// Found by `npm run ensemble` (test/e2e/ensemble.test.ts): a member told to stop while it
// looks for a leader, as a follower is right after its leader stops, logs "shutting down" and
// never exits. One member of three started alone stays in that election for good.

const BIN = fileURLToPath(new URL('../../packages/coord-server/bin/coord-server.js', import.meta.url));
const dirs: string[] = [];
const pids: number[] = [];

afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch { /* already gone */ }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a Paddock member stopped while it elects', () => {
  it('exits on SIGTERM (the election it waits for is abandoned)', async () => {
    const ports = await memberPorts(3);
    const dir = mkdtempSync(join(tmpdir(), 'paddock-stop-electing-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'myid'), '1\n');
    writeFileSync(join(dir, 'zoo.cfg'), [
      'tickTime=200', 'initLimit=10', 'syncLimit=5', `dataDir=${dir}`, 'admin.enableServer=false', 'forceSync=no',
      ...serverLines(ports),
    ].join('\n') + '\n');
    const child = spawn(process.execPath, [BIN, '--config', join(dir, 'zoo.cfg')], { stdio: 'ignore' });
    pids.push(child.pid!);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // Listening, electing: srvr answers that it does not serve (bounded: 100 tries).
    for (let i = 0; i < 100; i++) {
      const srvr = await fourLetter(ports[0]!.client, 'srvr', '127.0.0.1', 500).catch(() => '');
      if (srvr.includes('not currently serving')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still running'>((r) => { timer = setTimeout(() => r('still running'), 5000); });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    expect(outcome).toBe(0);
  }, 30_000);
});
