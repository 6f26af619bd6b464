import { setTimeout as sleep } from 'node:timers/promises';
import { CoordClient } from '@paddock/coord-client';
import { Lock } from '@paddock/coord-client/recipes';

// Three workers, each with its own session (as three processes would have), take turns with one
// distributed lock. Each waiter watches only the node just ahead of it, so a release wakes one
// worker. Then a holder's session closes while it holds the lock: its node goes with the session
// and the next worker in line gets the lock.
// Usage: node examples/dist/lock/lock.js [connect-string]   (default 127.0.0.1:2181)

const LOCK_PATH = '/examples/lock';
const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const TURNS = 2;
const HOLD_MS = 100;

/** Who holds the lock now, as this process sees it: a second holder would be an overlap. */
let holder: string | null = null;
let overlaps = 0;

function enter(name: string, what: string): void {
  if (holder !== null) {
    overlaps++;
    console.log(`OVERLAP: ${name} got the lock while ${holder} holds it`);
  }
  holder = name;
  console.log(`${name} holds the lock ${what}`);
}

function leave(name: string, what: string): void {
  if (holder === name) holder = null;
  console.log(`${name} ${what}`);
}

async function takeTurns(client: CoordClient, name: string): Promise<void> {
  const lock = new Lock(client, LOCK_PATH, { data: name });
  for (let turn = 1; turn <= TURNS; turn++) {
    await lock.acquire();
    enter(name, `(turn ${turn})`);
    await sleep(HOLD_MS);
    leave(name, 'releases it');
    await lock.release();
  }
}

/** Waits, with a child watch (no polling), until `n` contenders have a node under the lock. */
async function untilContenders(client: CoordClient, n: number): Promise<void> {
  for (;;) {
    let changed = (): void => {};
    const next = new Promise<void>((resolve) => { changed = resolve; });
    if ((await client.getChildren(LOCK_PATH, () => changed())).length >= n) return;
    await next;
  }
}

async function main(connectString: string): Promise<void> {
  const clients = await Promise.all(WORKERS.map(() => CoordClient.connect(connectString, { sessionTimeout: 10_000, connectTimeout: 5000 })));
  try {
    await Promise.all(WORKERS.map((name, i) => takeTurns(clients[i] as CoordClient, name)));

    // worker-1 takes the lock and worker-2 queues behind it; then worker-1's session closes.
    const [first, second] = [new Lock(clients[0] as CoordClient, LOCK_PATH), new Lock(clients[1] as CoordClient, LOCK_PATH)];
    await first.acquire();
    enter('worker-1', '(and its session is about to close)');
    first.on('lost', (reason) => console.log(`worker-1 is told it lost the lock (${reason.code})`));
    const next = second.acquire();
    await untilContenders(clients[0] as CoordClient, 2);
    console.log(`${(await first.participants()).length} contenders: worker-1 holds, worker-2 watches worker-1's node`);
    leave('worker-1', 'closes its session while holding the lock');
    await (clients[0] as CoordClient).close();
    await next;
    enter('worker-2', '(its predecessor\'s node went with the closed session)');
    leave('worker-2', 'releases it');
    await second.release();
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  console.log(overlaps === 0 ? 'holders never overlapped' : `${overlaps} overlaps`);
  if (overlaps > 0) process.exitCode = 1;
}

try {
  await main(process.argv[2] ?? '127.0.0.1:2181');
} catch (err) {
  console.error(`lock: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
