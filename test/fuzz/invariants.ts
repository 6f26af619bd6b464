import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Code, CreateMode, OpCode, Ids } from '@paddock/coord-protocol';
import { fourLetter } from '../support/zookeeper.js';
import { RawSession, decode, encode } from './wire.js';

/**
 * What must still hold after every fuzz batch: the server answers, a session opened before the
 * fuzzing still works with its data intact, connections are released, memory stays bounded.
 */

const OPEN_ACL = Ids.OPEN_ACL_UNSAFE.map((a) => ({ perms: a.perms, id: { ...a.id } }));
export const BYSTANDER_PATH = '/bystander';
export const FUZZ_ROOT = '/fuzz';

/** A long-lived session that owns data nobody else should be able to touch. */
export class Bystander {
  private version = 0;
  private constructor(private readonly session: RawSession, private readonly payload: Buffer) {}

  static async open(port: number): Promise<Bystander> {
    const session = await RawSession.open(port, 30_000);
    const payload = Buffer.from('steady state');
    for (const path of [BYSTANDER_PATH, FUZZ_ROOT]) {
      const r = await session.call(OpCode.create, encode('CreateRequest', {
        path, data: path === BYSTANDER_PATH ? payload : null, acl: OPEN_ACL, flags: CreateMode.PERSISTENT,
      }));
      if (r?.err !== Code.OK) throw new Error(`bystander could not create ${path}: ${r ? r.err : 'closed'}`);
    }
    return new Bystander(session, payload);
  }

  /** Reads its node back, bumps its version, and checks both answers; throws with the reason. */
  async check(): Promise<void> {
    if (this.session.conn.isClosed) throw new Error('the bystander session was disconnected');
    const got = await this.session.call(OpCode.getData, encode('GetDataRequest', { path: BYSTANDER_PATH, watch: false }));
    if (!got || got.err !== Code.OK) throw new Error(`bystander getData: ${got ? got.err : 'connection closed'}`);
    const { data, stat } = decode('GetDataResponse', got.body);
    if (!data?.equals(this.payload) || stat.version !== this.version) {
      throw new Error(`bystander data changed: ${JSON.stringify(data?.toString())} v${stat.version}, expected v${this.version}`);
    }
    const set = await this.session.call(OpCode.setData, encode('SetDataRequest', {
      path: BYSTANDER_PATH, data: this.payload, version: this.version,
    }));
    if (!set || set.err !== Code.OK) throw new Error(`bystander setData: ${set ? set.err : 'connection closed'}`);
    this.version++;
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

let probes = 0;

/** A brand-new session can create and read a node: the server is up and serving. */
export async function assertServing(port: number, ruok: boolean): Promise<void> {
  if (ruok) {
    const reply = await fourLetter(port, 'ruok');
    if (reply !== 'imok') throw new Error(`ruok answered ${JSON.stringify(reply)}`);
  }
  const s = await RawSession.open(port, 10_000);
  try {
    const path = `${FUZZ_ROOT}/probe-${++probes}`;
    const payload = Buffer.from(`probe ${probes}`);
    const created = await s.call(OpCode.create, encode('CreateRequest', {
      path, data: payload, acl: OPEN_ACL, flags: CreateMode.EPHEMERAL,
    }));
    if (created?.err !== Code.OK) throw new Error(`liveness create: ${created ? created.err : 'closed'}`);
    const got = await s.call(OpCode.getData, encode('GetDataRequest', { path, watch: false }));
    if (!got || got.err !== Code.OK || !decode('GetDataResponse', got.body).data?.equals(payload)) {
      throw new Error(`liveness getData: ${got ? got.err : 'closed'}`);
    }
  } finally {
    await s.close();
  }
}

/** zk_num_alive_connections from `mntr`, or null when the server does not report it. */
export async function aliveConnections(port: number): Promise<number | null> {
  const text = await fourLetter(port, 'mntr').catch(() => '');
  const m = /^zk_num_alive_connections\s+(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Waits (bounded) until the server reports no more connections than `baseline`. The count
 * has no event to wait on, so it is re-read at a short interval until the deadline.
 */
export async function connectionsBackTo(port: number, baseline: number, ms = 10_000): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const n = await aliveConnections(port);
    if (n === null || n <= baseline || Date.now() > until) return n ?? baseline;
    await new Promise((r) => setTimeout(r, 50));
  }
}

let gcFn: (() => void) | undefined;

/** Heap plus Buffer memory of this process after a full GC (the in-process server lives here). */
export function settledMemory(): number {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
