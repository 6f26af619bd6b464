import { Code } from '@paddock/coord-protocol';
import type { DataTree } from '../../packages/coord-server/src/tree/data-tree.js';
import type { Stream, StreamEnd } from './network.js';
import { type ClientOp, type OpResult, type ToClient, type ToServer, isWrite } from './ops.js';
import type { SimWrite } from './sim-prep.js';
import type { SimServer } from './sim-server.js';

/** What a serving role does with a client's requests (LeaderDriver and LearnerDriver). */
export interface ServingRole {
  readonly serving: boolean;
  createSession(ss: ServerSession, sessionId: bigint, timeout: number): void;
  revalidate(ss: ServerSession, sessionId: bigint, timeout: number): void;
  write(ss: ServerSession, cxid: number, w: SimWrite): void;
  sync(ss: ServerSession, cxid: number): void;
  /** A read evaluated now; `send` delivers its answer (the leader holds it behind its uncommitted txns). */
  read(send: () => void): void;
  touch(sessionId: bigint, timeout: number): void;
}

/** A read from the tree as it is: data and version, or the sorted children. */
function evalRead(tree: DataTree, op: ClientOp): { err: number; result: OpResult } {
  const path = 'path' in op ? op.path : '/';
  const node = tree.getNode(path);
  if (!node) return { err: Code.NoNode, result: {} };
  if (op.op === 'children') return { err: Code.OK, result: { children: [...node.children].sort() } };
  return { err: Code.OK, result: { data: node.data?.toString('utf8') ?? null, version: node.version } };
}

/** A client connection on a server's client port. */
export class ServerSession {
  sessionId: bigint | null = null;
  client = -1;
  timeout = 0;

  constructor(private readonly s: SimServer, readonly stream: Stream<ToServer | ToClient>) {}

  private get role(): ServingRole | null {
    const r = this.s.role;
    return r && r.serving ? r : null;
  }

  onMessage(m: ToServer): void {
    const role = this.role;
    if (!role) return this.close('not serving');
    if (m.t === 'connect') return this.connect(role, m);
    if (this.sessionId === null) return this.close('request before the session was established');
    role.touch(this.sessionId, this.timeout);
    if (m.t === 'ping') return this.send({ t: 'pong' });
    const { op, cxid } = m;
    if (isWrite(op)) return role.write(this, cxid, op as SimWrite);
    if (op.op === 'sync') return role.sync(this, cxid);
    this.s.world.inv.read(this.s, this.client);
    const { err, result } = evalRead(this.s.tree, op);
    const zxid = this.s.tree.lastProcessedZxid;
    role.read(() => this.send({ t: 'reply', cxid, err, zxid, result }));
  }

  private connect(role: ServingRole, m: Extract<ToServer, { t: 'connect' }>): void {
    this.client = m.client;
    this.timeout = m.timeout;
    // ZooKeeper refuses a client that has seen a newer zxid than this server has.
    if (m.lastZxid > this.s.tree.lastProcessedZxid) return this.close(`client has seen 0x${m.lastZxid.toString(16)}, this server is at 0x${this.s.tree.lastProcessedZxid.toString(16)}`);
    if (m.sessionId === 0n) role.createSession(this, this.s.world.newSessionId(this.s.id), m.timeout);
    else role.revalidate(this, m.sessionId, m.timeout);
  }

  /** The session is established (created or revalidated) on this connection. */
  established(sessionId: bigint, zxid: number): void {
    this.sessionId = sessionId;
    this.send({ t: 'connected', sessionId, zxid });
  }

  expired(): void {
    this.send({ t: 'expired' });
    this.close('session expired');
  }

  reply(cxid: number, err: number, zxid: number, result: OpResult): void {
    this.send({ t: 'reply', cxid, err, zxid, result });
  }

  send(m: ToClient): void {
    this.stream.send(this.s.id, m);
  }

  close(reason: string): void {
    this.stream.close(this.s.id, reason);
    this.s.clients.forget(this);
  }
}

/** A server's client port: the connections it serves, dropped when it stops serving. */
export class ClientPort {
  private readonly sessions = new Set<ServerSession>();

  constructor(private readonly s: SimServer) {}

  listen(): void {
    this.s.world.net.listen<ToServer | ToClient>(this.s.id, 'client', (stream) => {
      const ss = new ServerSession(this.s, stream);
      this.sessions.add(ss);
      const end: StreamEnd<ToServer | ToClient> = {
        onMessage: (m) => ss.onMessage(m as ToServer),
        onClose: () => this.sessions.delete(ss),
      };
      return end;
    });
  }

  forget(ss: ServerSession): void {
    this.sessions.delete(ss);
  }

  /** The server stops serving (host.serve(null)): every client connection is closed. */
  dropAll(): void {
    for (const ss of [...this.sessions]) ss.close('server stopped serving');
  }

  crash(): void {
    this.sessions.clear();
  }
}
