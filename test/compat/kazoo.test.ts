import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaddockEnsemble, startPaddockEnsemble } from '../ensemble/support/suite-ensemble.js';
import { skipWithoutZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { bothServers } from './servers.js';
import { digestId } from './super-user.js';

/**
 * The real kazoo client (python3-kazoo), which writes every empty string as jute's null: after
 * addAuth digest, `create(path, acl=[auth:''])` reaches the server as `auth:null`. ZooKeeper
 * expands it to the session's digest id; ours must too. The raw-frame cases of the
 * same thing are in scenarios/null-fields.ts.
 */

const SCRIPT = fileURLToPath(new URL('./kazoo-auth.py', import.meta.url));
/** Bound on one run of the script: interpreter start, connect, four calls, close. */
const RUN_MS = 30_000;

/** A python3 that can import kazoo (Debian's python3-kazoo lives under /usr/bin/python3), or null. */
function pythonWithKazoo(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import kazoo'], { stdio: 'ignore', timeout: RUN_MS });
    if (probe.status === 0) return python;
  }
  return null;
}

function runKazoo(python: string, server: PeerServer, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(python, [SCRIPT, server.connectString, path], { timeout: RUN_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kazoo script failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
    });
  });
}

/** What the script prints on Apache ZooKeeper 3.8 (the first test checks it still does). */
const EXPECTED = { created: '/kazoo-auth', acl: [`31:digest:${digestId('alice', 'alice-pw')}`], data: 'v' };

const SUITE = 'kazoo auth ACL with an empty id (ours vs Apache ZooKeeper 3.8)';
const zkSkip = skipWithoutZooKeeper(SUITE);
const python = zkSkip ? null : pythonWithKazoo();
if (!zkSkip && python === null) console.warn(`[SKIP] ${SUITE}: no python3 with kazoo (apt-get install python3-kazoo)`);

describe.skipIf(zkSkip || python === null)(SUITE, () => {
  const servers = bothServers();

  it("creates the node with auth:'' expanded to the session's digest id on both servers", async () => {
    const [theirs, mine] = await Promise.all([runKazoo(python!, servers.zk, '/kazoo-auth'), runKazoo(python!, servers.ours, '/kazoo-auth')]);
    expect(theirs).toEqual(EXPECTED);
    expect(mine).toEqual(theirs);
  }, 2 * RUN_MS);
});

// Issue 12: the same script given the connect string of a whole Paddock ensemble.
describe.skipIf(zkSkip || python === null)(`${SUITE}: a Paddock ensemble of 3`, () => {
  let ensemble: PaddockEnsemble | undefined;
  beforeAll(async () => {
    ensemble = await startPaddockEnsemble(3);
  });
  afterAll(async () => {
    await ensemble?.stop();
  });

  it("creates the node with auth:'' expanded to the session's digest id", async () => {
    expect(await runKazoo(python!, ensemble!, '/kazoo-auth')).toEqual(EXPECTED);
  }, RUN_MS);
});
