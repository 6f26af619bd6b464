import { CreateMode, type CoordClient, type Op } from '@paddock/coord-client';

/**
 * What one crash-test worker expects of the znodes it owns: the children of its own folder.
 * A worker issues one write at a time, so its acknowledged writes are totally ordered and the
 * model after them is exact; a write cut off by a crash leaves two candidates (it happened
 * entirely or not at all), decided after the restart by reading what the server kept.
 */
interface NodeModel {
  readonly data: string;
  readonly version: number;
  readonly ephemeral: boolean;
}

export type DirModel = ReadonlyMap<string, NodeModel>;

type SubOp =
  | { readonly kind: 'create'; readonly name: string; readonly data: string; readonly ephemeral: boolean }
  | { readonly kind: 'setData'; readonly name: string; readonly data: string; readonly version: number }
  | { readonly kind: 'delete'; readonly name: string; readonly version: number }
  | { readonly kind: 'check'; readonly name: string; readonly version: number };

export type WorkerOp = SubOp | { readonly kind: 'multi'; readonly ops: readonly SubOp[] };

/** Persistent names k0..k5 and ephemeral names e0..e2 under each worker's folder. */
const PERSISTENT_NAMES = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'] as const;
const EPHEMERAL_NAMES = ['e0', 'e1', 'e2'] as const;
const ALL_NAMES: readonly string[] = [...PERSISTENT_NAMES, ...EPHEMERAL_NAMES];
const MAX_MULTI = 4;

/** A value no other write sends: `tag|` then filler, mostly short, sometimes a few KB. */
function value(tag: string, rng: () => number): string {
  const len = rng() < 0.8 ? Math.floor(rng() * 100) : Math.floor(rng() * 4000);
  return `${tag}|${'x'.repeat(len)}`;
}

function subOpFor(model: DirModel, name: string, tag: string, rng: () => number, inMulti: boolean): SubOp {
  const node = model.get(name);
  if (!node) return { kind: 'create', name, data: value(tag, rng), ephemeral: name.startsWith('e') };
  const r = rng();
  if (inMulti && r < 0.15) return { kind: 'check', name, version: node.version };
  if (r < 0.7) return { kind: 'setData', name, data: value(tag, rng), version: node.version };
  return { kind: 'delete', name, version: node.version };
}

/** The next write, valid against `model`; `tag` makes its data unique. */
export function nextOp(model: DirModel, tag: string, rng: () => number): WorkerOp {
  if (rng() < 0.3) {
    const names = [...ALL_NAMES];
    const count = 2 + Math.floor(rng() * (MAX_MULTI - 1));
    const ops: SubOp[] = [];
    for (let i = 0; i < count; i++) {
      const [name] = names.splice(Math.floor(rng() * names.length), 1);
      ops.push(subOpFor(model, name!, `${tag}.${i}`, rng, true));
    }
    return { kind: 'multi', ops };
  }
  return subOpFor(model, ALL_NAMES[Math.floor(rng() * ALL_NAMES.length)]!, tag, rng, false);
}

/** The model after `op` succeeded. */
export function applyOp(model: DirModel, op: WorkerOp): DirModel {
  const next = new Map(model);
  for (const sub of op.kind === 'multi' ? op.ops : [op]) {
    if (sub.kind === 'create') next.set(sub.name, { data: sub.data, version: 0, ephemeral: sub.ephemeral });
    else if (sub.kind === 'setData') next.set(sub.name, { ...next.get(sub.name)!, data: sub.data, version: sub.version + 1 });
    else if (sub.kind === 'delete') next.delete(sub.name);
  }
  return next;
}

function toClientOp(dir: string, sub: SubOp): Op {
  const path = `${dir}/${sub.name}`;
  switch (sub.kind) {
    case 'create':
      return { type: 'create', path, data: sub.data, options: { mode: sub.ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT } };
    case 'setData':
      return { type: 'setData', path, data: sub.data, version: sub.version };
    case 'delete':
      return { type: 'delete', path, version: sub.version };
    case 'check':
      return { type: 'check', path, version: sub.version };
  }
}

/** Sends `op` with the versions the model expects, so a model that is wrong fails loudly. */
export async function execute(client: CoordClient, dir: string, op: WorkerOp): Promise<void> {
  if (op.kind === 'multi') {
    await client.multi(op.ops.map((sub) => toClientOp(dir, sub)));
    return;
  }
  const c = toClientOp(dir, op);
  if (c.type === 'create') await client.create(c.path, c.data, c.options);
  else if (c.type === 'setData') await client.setData(c.path, c.data, c.version);
  else if (c.type === 'delete') await client.delete(c.path, c.version);
}

export interface ObservedNode extends NodeModel {
  /** The session id in the node's Stat (0 for persistent nodes). */
  readonly owner: bigint;
}

/** Reads a worker's folder as the server has it now (all reads pipelined). */
export async function observe(client: CoordClient, dir: string): Promise<Map<string, ObservedNode>> {
  const names = await client.getChildren(dir);
  const reads = await Promise.all(names.map((n) => client.getData(`${dir}/${n}`)));
  const out = new Map<string, ObservedNode>();
  names.forEach((n, i) => {
    const { data, stat } = reads[i]!;
    out.set(n, { data: data.toString(), version: stat.version, ephemeral: stat.ephemeralOwner !== 0n, owner: stat.ephemeralOwner });
  });
  return out;
}

/** Why `observed` is not `expected` (ephemerals must belong to `sessionId`), or null when it is. */
export function difference(expected: DirModel, observed: ReadonlyMap<string, ObservedNode>, sessionId: bigint): string | null {
  const short = (s: string): string => (s.length > 24 ? `${s.slice(0, 24)}…(${s.length} chars)` : s);
  for (const [name, want] of expected) {
    const got = observed.get(name);
    if (!got) return `${name} missing`;
    if (got.data !== want.data) return `${name} holds ${short(got.data)}, expected ${short(want.data)}`;
    if (got.version !== want.version) return `${name} at version ${got.version}, expected ${want.version}`;
    if (got.ephemeral !== want.ephemeral) return `${name} ephemeral=${got.ephemeral}, expected ${want.ephemeral}`;
    if (want.ephemeral && got.owner !== sessionId) return `${name} owned by 0x${got.owner.toString(16)}, expected 0x${sessionId.toString(16)}`;
  }
  for (const name of observed.keys()) if (!expected.has(name)) return `${name} present, expected absent`;
  return null;
}

export function describeOp(op: WorkerOp): string {
  const one = (s: SubOp): string => `${s.kind} ${s.name}${'version' in s ? `@${s.version}` : ''}`;
  return op.kind === 'multi' ? `multi[${op.ops.map(one).join(', ')}]` : one(op);
}
