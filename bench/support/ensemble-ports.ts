import { freePort } from './ports.js';

// Shared by test/ensemble (in-process and process members) and the ensemble bench.

/** Ports of one ensemble member on loopback. */
export interface MemberPorts {
  readonly client: number;
  readonly quorum: number;
  readonly election: number;
}

export async function memberPorts(n: number): Promise<MemberPorts[]> {
  const out: MemberPorts[] = [];
  for (let i = 0; i < n; i++) out.push({ client: await freePort(), quorum: await freePort(), election: await freePort() });
  return out;
}

/** `server.N=127.0.0.1:q:e[:observer];127.0.0.1:c` lines for ids 1..n. */
export function serverLines(ports: readonly MemberPorts[], observers: readonly number[] = []): string[] {
  return ports.map((p, i) => `server.${i + 1}=127.0.0.1:${p.quorum}:${p.election}${observers.includes(i + 1) ? ':observer' : ''};127.0.0.1:${p.client}`);
}
