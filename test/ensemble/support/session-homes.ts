import { fourLetter } from '../../support/zookeeper.js';
import type { PaddockProcess } from './paddock-process.js';

/**
 * Which member each connected session is on right now, from every running member's `cons`
 * (ZooKeeper's connection lines carry `sid=0x…`; Paddock prints them the same way). A member
 * that does not answer counts as holding none.
 */
export async function sessionHomes(members: readonly PaddockProcess[]): Promise<Map<bigint, number>> {
  const homes = new Map<bigint, number>();
  const replies = await Promise.all(members.map((m) => (m.pid === undefined ? '' : fourLetter(m.clientPort, 'cons', '127.0.0.1', 2000).catch(() => ''))));
  replies.forEach((text, i) => {
    for (const m of text.matchAll(/sid=0x([0-9a-f]+)/g)) homes.set(BigInt.asIntN(64, BigInt(`0x${m[1]}`)), members[i]!.id);
  });
  return homes;
}
