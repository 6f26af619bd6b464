import { type Server, type Socket, connect, createServer } from 'node:net';
import { silentLogger } from '@paddock/edges';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.js';
import { ElectionLinks } from '../../../packages/coord-server/src/quorum/net/election-links.js';
import { encodeHandshake, parseHandshake } from '../../../packages/coord-server/src/quorum/wire/election-wire.js';
import { until } from '../support/wait.js';
import { directPeerLinks } from './bypass-check.js';
import { FaultNet, type PeerPorts } from './fault-net.js';
import { bridge, isolate, oneWay } from './partitions.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server that records what each accepted connection sends and whether it closed. */
interface Sink {
  readonly port: number;
  readonly conns: { bytes: Buffer; closed: boolean; socket: Socket }[];
}

async function sink(): Promise<Sink> {
  return sinkOn(await freePort());
}

async function sinkOn(port: number): Promise<Sink> {
  const conns: Sink['conns'] = [];
  const server: Server = createServer((socket) => {
    const c = { bytes: Buffer.alloc(0), closed: false, socket };
    conns.push(c);
    socket.on('data', (b: Buffer) => {
      c.bytes = Buffer.concat([c.bytes, b]);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      c.closed = true;
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  cleanups.push(() => {
    for (const c of conns) c.socket.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { port, conns };
}

/** A net of servers 1..3 whose server 2 is `target` on both ports; returns the dialer's socket through 1 -> 2. */
async function netTo(target: Sink, kind: keyof PeerPorts = 'quorum'): Promise<{ net: FaultNet; dial: () => Promise<Dialled> }> {
  const net = await FaultNet.open([1, 2, 3]);
  cleanups.push(() => net.close());
  net.route(new Map([[2, { quorum: target.port, election: target.port }]]));
  return { net, dial: () => dialled(net.proxyPorts(1, 2)[kind]) };
}

interface Dialled {
  readonly socket: Socket;
  received: Buffer;
  closed: boolean;
}

async function dialled(port: number): Promise<Dialled> {
  const socket = connect({ host: '127.0.0.1', port });
  const d: Dialled = { socket, received: Buffer.alloc(0), closed: false };
  socket.on('data', (b: Buffer) => {
    d.received = Buffer.concat([d.received, b]);
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    d.closed = true;
  });
  cleanups.push(() => void socket.destroy());
  // A refused dial may close before or after its connect: either ends the wait.
  await new Promise<void>((r) => {
    socket.once('connect', () => r());
    socket.once('close', () => r());
  });
  return d;
}

describe('the peer proxy', () => {
  it('passes bytes both ways and closes the other side at once when one end goes', async () => {
    const s = await sink();
    const { dial } = await netTo(s);
    const d = await dial();
    d.socket.write('hello');
    await until('bytes upstream', () => s.conns[0]?.bytes.toString() === 'hello', 5000, 10);
    s.conns[0]!.socket.write('back');
    await until('bytes back', () => d.received.toString() === 'back', 5000, 10);
    s.conns[0]!.socket.destroy();
    await until('the dialer closed', () => d.closed, 5000, 10);
  });

  it('a server that starts listening a moment after the dial is reached, with the bytes sent meanwhile', async () => {
    const port = await freePort();
    const { dial } = await netTo({ port, conns: [] });
    const d = await dial();
    d.socket.write('early');
    const late = await sinkOn(port);
    await until('the bytes arrive', () => late.conns[0]?.bytes.toString() === 'early', 5000, 10);
    expect(d.closed).toBe(false);
  });

  it('drop holds one direction, close included, and delivers it in order when the link passes; the other way flows', async () => {
    const s = await sink();
    const { net, dial } = await netTo(s);
    const d = await dial();
    await until('connected upstream', () => s.conns.length === 1, 5000, 10);
    net.set(oneWay(1, [1, 2, 3], false));
    for (const part of ['a', 'b', 'c']) d.socket.write(part);
    s.conns[0]!.socket.write('reply');
    await until('the reply passes', () => d.received.toString() === 'reply', 5000, 10);
    d.socket.end();
    // Bytes and the close are held: nothing arrives while the link drops.
    await until('the dialer is done', () => d.closed, 5000, 10);
    expect(s.conns[0]!.bytes.length).toBe(0);
    expect(s.conns[0]!.closed).toBe(false);
    net.heal();
    await until('held bytes and close delivered', () => s.conns[0]!.closed, 5000, 10);
    expect(s.conns[0]!.bytes.toString()).toBe('abc');
  });

  it('cut closes the open connections and refuses new ones until healed', async () => {
    const s = await sink();
    const { net, dial } = await netTo(s);
    const d = await dial();
    await until('connected upstream', () => s.conns.length === 1, 5000, 10);
    net.set(isolate([2], [1, 2, 3], 'cut'));
    await until('both sides closed', () => d.closed && s.conns[0]!.closed, 5000, 10);
    const refused = await dial();
    await until('the new one is closed', () => refused.closed, 5000, 10);
    expect(s.conns.length).toBe(1);
    net.heal();
    const again = await dial();
    again.socket.write('x');
    await until('a new connection passes', () => s.conns[1]?.bytes.toString() === 'x', 5000, 10);
  });

  it('rewrites the election handshake to the proxy of the way back, however the bytes are split', async () => {
    const s = await sink();
    const { net, dial } = await netTo(s, 'election');
    const back = net.proxyPorts(2, 1).election;
    const hs = encodeHandshake({ serverId: 1, addresses: ['127.0.0.1:9'] });
    const frame = Buffer.from([0, 0, 0, 3, 7, 8, 9]);
    const bytes = Buffer.concat([hs, frame]);
    for (const cutAt of [1, 7, 8, 19, 20, hs.length - 1, hs.length, hs.length + 2]) {
      const d = await dial();
      d.socket.write(bytes.subarray(0, cutAt));
      await new Promise((r) => setImmediate(r));
      d.socket.write(bytes.subarray(cutAt));
    }
    await until('all arrived', () => s.conns.length === 8 && s.conns.every((c) => c.bytes.length >= 7), 5000, 10);
    for (const c of s.conns) {
      const parsed = parseHandshake(c.bytes)!;
      expect(parsed.handshake).toEqual({ serverId: 1, addresses: [`127.0.0.1:${back}`] });
      expect(c.bytes.subarray(parsed.used)).toEqual(frame);
    }
  });

  it('a bridge cuts the two servers besides it from each other only', () => {
    expect(bridge(2, [1, 2, 3], 'cut')).toEqual([{ from: 1, to: 3, state: 'cut' }, { from: 3, to: 1, state: 'cut' }]);
    expect(oneWay(1, [1, 2, 3], true)).toEqual([{ from: 2, to: 1, state: 'drop' }, { from: 3, to: 1, state: 'drop' }]);
  });
});

describe('election links through the proxies', () => {
  it('the larger id dials back through the proxy the handshake names, so a cut separates them', async () => {
    const ids = [1, 2];
    const net = await FaultNet.open(ids);
    cleanups.push(() => net.close());
    const real = new Map(await Promise.all(ids.map(async (id) => [id, { quorum: await freePort(), election: await freePort() }] as const)));
    net.route(real);
    const links = ids.map((id) => {
      const peer = 3 - id;
      const election = net.proxyPorts(id, peer).election;
      const l = new ElectionLinks({
        myId: id, listen: { host: '127.0.0.1', port: real.get(id)!.election },
        peers: new Map([[peer, { host: '127.0.0.1', port: election }]]),
        connectTimeout: 2000, logger: silentLogger, onNotification: () => undefined,
      });
      cleanups.push(() => l.close());
      return l;
    });
    await Promise.all(links.map((l) => l.start()));
    // 1 dials 2 through its proxy; 2 has the larger id, hangs up and dials back.
    links[0]!.send(2, { state: 'looking', leader: 1, zxid: 0, electionEpoch: 1, peerEpoch: 0, version: 2, config: null });
    await until('2 dialled 1 back', () => links[0]!.connected().includes(2) && links[1]!.connected().includes(1), 5000, 10);
    expect(net.openConnections(2, 1)).toBe(1);
    net.set(isolate([1], ids, 'cut'));
    await until('the link is gone on both', () => links[0]!.connected().length === 0 && links[1]!.connected().length === 0, 5000, 10);
  });
});

describe('the check that no peer connection goes around the proxies', () => {
  it('names a member connected straight to another member\'s real port, and only that', async () => {
    const s = await sink();
    const other = await sink();
    const members = [{ id: 1, pid: process.pid, ports: [] }, { id: 2, pid: undefined, ports: [s.port] }];
    const d = await dialled(s.port);
    await dialled(other.port);
    const found = await directPeerLinks(members);
    if (found === null) return void console.warn('[SKIP] ss could not be run');
    expect(found).toEqual([`server 1 (pid ${process.pid}) is connected straight to server 2's port ${s.port}`]);
    d.socket.destroy();
    await until('closed', () => d.closed, 5000, 10);
    expect(await directPeerLinks(members)).toEqual([]);
  });
});
