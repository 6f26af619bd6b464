import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { type PaddockMember, memberPorts, paddockMember, removeMember, serverLines } from './support/paddock-ensemble.js';

const members: PaddockMember[] = [];
const clients: CoordClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const m of members.splice(0)) {
    await m.stop();
    removeMember(m);
  }
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an all-Paddock ensemble of three', () => {
  it('elects a leader, serves on every member, and a write through one is read on all after sync', async () => {
    const ports = await memberPorts(3);
    const lines = serverLines(ports);
    for (let id = 1; id <= 3; id++) members.push(paddockMember(id, lines));
    await Promise.all(members.map((m) => m.start()));
    await until('all serving', () => members.every((m) => m.server?.serving));
    const roles = members.map((m) => m.server!.quorum!.role).sort();
    expect(roles).toEqual(['following', 'following', 'leading']);
    const cs = await Promise.all(ports.map((p) => CoordClient.connect(`127.0.0.1:${p.client}`, { sessionTimeout: 4000 })));
    clients.push(...cs);
    await cs[0]!.create('/a', Buffer.from('one'));
    await cs[1]!.setData('/a', Buffer.from('two'));
    for (const c of cs) {
      await c.sync('/a');
      expect((await c.getData('/a')).data.toString()).toBe('two');
    }
  }, 60_000);
});
