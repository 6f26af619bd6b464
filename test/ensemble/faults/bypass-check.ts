import { execFile } from 'node:child_process';

/** A member process: its id, pid, and the real peer ports it listens on. */
export interface MemberSockets {
  readonly id: number;
  readonly pid: number | undefined;
  readonly ports: readonly number[];
}

const SS_MS = 5000;

function ss(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('ss', ['-tnpH', 'state', 'established'], { timeout: SS_MS, maxBuffer: 16 * 1024 * 1024 }, (err, out) => resolve(err ? null : out));
  });
}

/**
 * The harness's premise, checked on the live sockets (`ss`): no member holds a connection
 * straight to another member's real quorum or election port. Every peer connection must go
 * through the proxies, or a partition would leave a way around it (an election dial-back to
 * an address the handshake did not get rewritten to, say). Null when `ss` cannot be run.
 */
export async function directPeerLinks(members: readonly MemberSockets[]): Promise<string[] | null> {
  const text = await ss();
  if (text === null) return null;
  const owner = new Map<number, number>();
  for (const m of members) if (m.pid !== undefined) owner.set(m.pid, m.id);
  const portOf = new Map<number, number>();
  for (const m of members) for (const p of m.ports) portOf.set(p, m.id);
  const out: string[] = [];
  for (const row of text.split('\n')) {
    const peer = /\s\S+:(\d+)\s+\S+:(\d+)\s/.exec(row);
    const pids = [...row.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (!peer) continue;
    const target = portOf.get(Number(peer[2]));
    for (const pid of pids) {
      const from = owner.get(pid);
      if (target !== undefined && from !== undefined && from !== target) out.push(`server ${from} (pid ${pid}) is connected straight to server ${target}'s port ${peer[2]}`);
    }
  }
  return out;
}
