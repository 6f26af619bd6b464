import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AddWatchMode, Code, EventType, KeeperError, KeeperState, OpCode, Xid, codec } from '@paddock/coord-protocol';
import { ManualClock } from '@paddock/edges';
import { CoordClient } from './client.js';
import type { CoordClientOptions } from './options.js';
import type { ClientState } from './states.js';
import { FakeServer, type FakeConnection } from './testing/fake-server.js';
import type { WatchedEvent } from './types.js';

let server: FakeServer;
let clock: ManualClock;
const clients: CoordClient[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
  clock = new ManualClock();
});

afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.dropConnection();
    void c.close();
  }
  await server.close();
});

/** Connects to the fake server with a manual clock and no jitter. */
async function connect(opts: CoordClientOptions = {}, chroot = ''): Promise<{ client: CoordClient; conn: FakeConnection }> {
  const pending = CoordClient.connect(`${server.connectString}${chroot}`, { clock, random: () => 0, ...opts });
  const conn = await server.connections.next();
  const client = await pending;
  clients.push(client);
  return { client, conn };
}

function nextState(client: CoordClient, want: ClientState): Promise<void> {
  return new Promise((resolve) => {
    const on = (s: ClientState): void => {
      if (s === want) {
        client.off('state', on);
        resolve();
      }
    };
    client.on('state', on);
  });
}

const stat = {
  czxid: 1, mzxid: 2, ctime: 3, mtime: 4, version: 5, cversion: 6, aversion: 7, ephemeralOwner: 0n,
  dataLength: 1, numChildren: 0, pzxid: 8,
};

describe('handshake', () => {
  it('sends ConnectRequest with the readOnly byte and adopts the negotiated session', async () => {
    server.autoWelcome = { timeOut: 4000, sessionId: 0x0100000000000abcn };
    const { client, conn } = await connect({ sessionTimeout: 9000, canBeReadOnly: true });
    expect(conn.hello).toEqual({
      protocolVersion: 0, lastZxidSeen: 0, timeOut: 9000, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: true,
    });
    expect(client.state).toBe('connected');
    expect(client.sessionId).toBe(0x0100000000000abcn);
    expect(client.sessionTimeout).toBe(4000);
    expect(client.sessionPassword).toEqual(Buffer.alloc(16, 7));
  });

  it('reports a session refused on resume as expired', async () => {
    server.autoWelcome = { timeOut: 0, sessionId: 0n };
    const err = await CoordClient.connect(server.connectString, {
      clock, sessionId: 0x55n, sessionPassword: Buffer.alloc(16, 1),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeeperError);
    expect((err as KeeperError).code).toBe(Code.SessionExpired);
    const conn = await server.connections.next();
    expect(conn.hello).toMatchObject({ sessionId: 0x55n, passwd: Buffer.alloc(16, 1) });
  });

  it('gives up after retry.maxAttempts failed attempts', async () => {
    await server.close();
    const err = await CoordClient.connect(server.connectString, { clock, random: () => 0, retry: { maxAttempts: 3, baseDelayMs: 0 } })
      .catch((e: unknown) => e as KeeperError);
    expect(err).toMatchObject({ code: Code.ConnectionLoss });
    expect((err as Error).message).toContain('gave up after 3 connection attempts');
    server = await FakeServer.start();
  });
});

describe('read-only mode', () => {
  it('moves from a read-only server to a read-write one found by isro, in a new session', async () => {
    const rw = await FakeServer.start();
    try {
      server.autoWelcome = { timeOut: 3000, sessionId: 0x77n, readOnly: true };
      server.fourLetterReply = 'ro';
      rw.autoWelcome = { timeOut: 3000, sessionId: 0x88n };
      // random 0.99: the shuffle keeps the list order, so the read-only server is tried first.
      const pending = CoordClient.connect(`${server.connectString},${rw.connectString}`, {
        clock, random: () => 0.99, canBeReadOnly: true, retry: { baseDelayMs: 0 },
      });
      const ro = await server.connections.next();
      const client = await pending;
      clients.push(client);
      expect(ro.hello?.readOnly).toBe(true);
      expect(client.state).toBe('connectedReadOnly');
      const upgraded = nextState(client, 'connected');
      clock.advance(100);
      const conn = await rw.connections.next();
      await upgraded;
      expect(conn.hello).toMatchObject({ sessionId: 0n, readOnly: true });
      expect(client.sessionId).toBe(0x88n);
      await ro.closed;
    } finally {
      await rw.close();
    }
  });
});

describe('keepalive', () => {
  it('pings after a third of the session timeout of silence', async () => {
    const { client, conn } = await connect();
    clock.advance(999);
    const probe = client.exists('/');
    expect((await conn.requests.next()).type).toBe(OpCode.exists);
    conn.reply(1, 5, Code.NoNode);
    expect(await probe).toBeNull();
    clock.advance(1000);
    const ping = await conn.requests.next();
    expect(ping).toMatchObject({ xid: Xid.ping, type: OpCode.ping });
    conn.reply(Xid.ping, 5, 0);
    expect(client.state).toBe('connected');
  });

  it('drops a silent connection after two thirds of the timeout and resumes the session', async () => {
    const { client, conn } = await connect();
    const call = client.exists('/a');
    await conn.requests.next();
    conn.reply(1, 0x42, 0, (w) => codec('ExistsResponse').encode(w, { stat }));
    await call;
    const down = nextState(client, 'disconnected');
    const inFlight = client.exists('/b').catch((e: KeeperError) => e.code);
    clock.advance(1000);
    expect((await conn.requests.next()).type).toBe(OpCode.exists);
    expect((await conn.requests.next()).type).toBe(OpCode.ping);
    clock.advance(1000);
    await down;
    expect(await inFlight).toBe(Code.ConnectionLoss);
    const again = await server.connections.next();
    expect(again.hello).toMatchObject({ sessionId: 0x1234n, passwd: Buffer.alloc(16, 7), lastZxidSeen: 0x42 });
    await nextState(client, 'connected');
  });
});

describe('replies', () => {
  it('matches pipelined replies in order and treats an out-of-order xid as a broken connection', async () => {
    const { client, conn } = await connect();
    const a = client.exists('/a');
    const b = client.exists('/b').catch((e: KeeperError) => e.code);
    const [ra, rb] = [await conn.requests.next(), await conn.requests.next()];
    expect([ra.xid, rb.xid]).toEqual([1, 2]);
    conn.reply(1, 3, Code.NoNode);
    expect(await a).toBeNull();
    conn.reply(7, 4, Code.NoNode);
    expect(await b).toBe(Code.ConnectionLoss);
  });

  it('answers auth out of band, ahead of earlier requests', async () => {
    const { client, conn } = await connect();
    const read = client.exists('/x');
    const auth = client.addAuth('digest', 'u:p');
    const r1 = await conn.requests.next();
    const r2 = await conn.requests.next();
    expect(r2).toMatchObject({ xid: Xid.auth, type: OpCode.auth });
    expect(codec('AuthPacket').decode(r2.body)).toEqual({ type: 0, scheme: 'digest', auth: Buffer.from('u:p') });
    conn.reply(Xid.auth, 0, 0);
    await auth;
    conn.reply(r1.xid, 1, Code.NoNode);
    expect(await read).toBeNull();
  });

  it('fails calls held during a refused resume with SessionExpired', async () => {
    const { client, conn } = await connect();
    server.autoWelcome = null;
    conn.close();
    await nextState(client, 'disconnected');
    const again = await server.connections.next();
    const held = client.getData('/x').catch((e: KeeperError) => e.code);
    const states: ClientState[] = [];
    client.on('state', (s) => states.push(s));
    again.welcome(0, 0n);
    expect(await held).toBe(Code.SessionExpired);
    expect(states).toEqual(['expired']);
    expect(await client.exists('/').catch((e: KeeperError) => e.code)).toBe(Code.SessionExpired);
  });
});

describe('watches across reconnects', () => {
  it('re-sends credentials, then every watch with the chroot and last zxid, then held calls', async () => {
    const { client, conn } = await connect({}, '/app');
    const events: WatchedEvent[] = [];
    let onCreated = (): void => undefined;
    const created = new Promise<void>((resolve) => { onCreated = resolve; });
    const w = (e: WatchedEvent): void => {
      events.push(e);
      if (e.type === EventType.NodeCreated) onCreated();
    };
    const calls = [
      client.exists('/x', w), client.getData('/y', w), client.getChildren('/', w),
      client.addWatch('/r', AddWatchMode.PERSISTENT_RECURSIVE, w), client.addAuth('digest', 'a:b'),
    ];
    const seen = await Promise.all([0, 1, 2, 3, 4].map(() => conn.requests.next()));
    expect(codec('ExistsRequest').decode(seen[0]!.body)).toEqual({ path: '/app/x', watch: true });
    conn.reply(Xid.auth, 0, 0);
    conn.reply(1, 0x10, Code.NoNode);
    conn.reply(2, 0x11, 0, (wr) => codec('GetDataResponse').encode(wr, { data: Buffer.from('d'), stat }));
    conn.reply(3, 0x12, 0, (wr) => codec('GetChildrenResponse').encode(wr, { children: [] }));
    conn.reply(4, 0x13, 0);
    await Promise.all(calls);
    conn.notify(EventType.NodeDataChanged, '/app/r/deep');
    conn.close();
    await nextState(client, 'disconnected');
    const held = client.exists('/held');
    const again = await server.connections.next();
    const [auth, setWatches, heldReq] = [await again.requests.next(), await again.requests.next(), await again.requests.next()];
    expect(auth.type).toBe(OpCode.auth);
    expect(setWatches).toMatchObject({ xid: Xid.setWatches, type: OpCode.setWatches2 });
    expect(codec('SetWatches2').decode(setWatches.body)).toEqual({
      relativeZxid: 0x13, dataWatches: ['/app/y'], existWatches: ['/app/x'], childWatches: ['/app'],
      persistentWatches: [], persistentRecursiveWatches: ['/app/r'],
    });
    expect(heldReq.type).toBe(OpCode.exists);
    again.reply(Xid.auth, 0, 0);
    again.reply(Xid.setWatches, 0x13, 0);
    again.reply(heldReq.xid, 0x13, Code.NoNode);
    expect(await held).toBeNull();
    again.notify(EventType.NodeCreated, '/app/x');
    await created;
    expect(events.filter((e) => e.path !== null)).toEqual([
      { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/r/deep' },
      { type: EventType.NodeCreated, state: KeeperState.SyncConnected, path: '/x' },
    ]);
    expect(events.filter((e) => e.path === null).map((e) => e.state)).toEqual([KeeperState.Disconnected, KeeperState.SyncConnected]);
  });

  it('keeps delivering events when a watcher throws, and logs it', async () => {
    const logged: string[] = [];
    const noop = (): void => undefined;
    const logger = { debug: noop, info: noop, warn: noop, error: (_: unknown, msg?: string) => { logged.push(msg ?? ''); } };
    const { client, conn } = await connect({ logger });
    const got: string[] = [];
    const calls = [client.exists('/a', () => { throw new Error('boom'); }), client.exists('/a', (e) => { got.push(e.path ?? ''); })];
    await conn.requests.next();
    await conn.requests.next();
    conn.reply(1, 1, Code.NoNode);
    conn.reply(2, 1, Code.NoNode);
    await Promise.all(calls);
    conn.notify(EventType.NodeCreated, '/a');
    const probe = client.exists('/b');
    await conn.requests.next();
    conn.reply(3, 1, Code.NoNode);
    // The event frame came first, so its watchers ran before this reply settled.
    await probe;
    expect(got).toEqual(['/a']);
    expect(logged).toEqual(['watcher or state listener threw']);
  });
});

describe('close', () => {
  it('sends closeSession, waits for the reply, then refuses further calls', async () => {
    const { client, conn } = await connect();
    const closing = client.close();
    const req = await conn.requests.next();
    expect(req.type).toBe(OpCode.closeSession);
    expect(await client.exists('/').catch((e: KeeperError) => e.code)).toBe(Code.ConnectionLoss);
    conn.reply(req.xid, 9, 0);
    await closing;
    expect(client.state).toBe('closed');
    await conn.closed;
    expect(await client.exists('/').catch((e: KeeperError) => e.code)).toBe(Code.SessionExpired);
  });
});
