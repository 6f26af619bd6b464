import { CoordClient } from '@paddock/coord-client';
import { LeaderElection } from '@paddock/coord-client/recipes';

// Three candidates, each with its own session (as three processes would have), elect a leader.
// The leader steps down (resign: it re-joins at the back), then the next leader's session
// closes (as when its process dies): each time exactly one other candidate takes over.
// Usage: node examples/dist/election/election.js [connect-string]   (default 127.0.0.1:2181)

const ELECTION_PATH = '/examples/election';
const CANDIDATES = ['candidate-1', 'candidate-2', 'candidate-3'];
const TAKEOVER_MS = 10_000;

interface Candidate {
  readonly client: CoordClient;
  readonly election: LeaderElection;
}

/** Resolves with the candidate leading once `leader` has fired, other than `not`; rejects after TAKEOVER_MS. */
function nextLeader(candidates: readonly Candidate[], not: Candidate | null): Promise<Candidate> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const leader = candidates.find((c) => c !== not && c.election.isLeader);
      if (leader === undefined) return;
      finish();
      resolve(leader);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no new leader within ${TAKEOVER_MS} ms`));
    }, TAKEOVER_MS);
    const finish = (): void => {
      clearTimeout(timer);
      for (const c of candidates) c.election.off('leader', check);
    };
    for (const c of candidates) c.election.on('leader', check);
    check();
  });
}

async function showParticipants(c: Candidate): Promise<void> {
  const list = await c.election.participants();
  console.log(`  queue: ${list.map((p) => (p.isLeader ? `${p.id} (leader)` : p.id)).join(', ')}`);
}

async function main(connectString: string): Promise<void> {
  const clients = await Promise.all(CANDIDATES.map(() => CoordClient.connect(connectString, { sessionTimeout: 10_000, connectTimeout: 5000 })));
  const candidates: Candidate[] = CANDIDATES.map((id, i) => ({ client: clients[i] as CoordClient, election: new LeaderElection(clients[i] as CoordClient, ELECTION_PATH, { id }) }));
  try {
    for (const { election } of candidates) {
      election.on('leader', () => console.log(`${election.id} leads`));
      election.on('lost', (reason) => console.log(`${election.id} no longer leads (${reason.code})`));
    }
    // Joined one after the other, so the first to join leads.
    for (const { election } of candidates) await election.start();
    const first = await nextLeader(candidates, null);
    await showParticipants(first);

    console.log(`${first.election.id} steps down`);
    await first.election.resign();
    const second = await nextLeader(candidates, first);
    await showParticipants(second);

    console.log(`${second.election.id}'s session closes (as when its process dies)`);
    const remaining = candidates.filter((c) => c !== second);
    await second.client.close();
    const third = await nextLeader(remaining, null);
    await showParticipants(third);

    const leaders = remaining.filter((c) => c.election.isLeader).map((c) => c.election.id);
    console.log(`${leaders.length} leader at the end: ${leaders.join(', ')}`);
    if (leaders.length !== 1) process.exitCode = 1;
  } finally {
    await Promise.all(candidates.map((c) => c.election.close()));
    await Promise.all(clients.map((c) => c.close()));
  }
}

try {
  await main(process.argv[2] ?? '127.0.0.1:2181');
} catch (err) {
  console.error(`election: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
