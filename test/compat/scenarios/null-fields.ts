import { type ACL, OpCode, type OpName } from '@paddock/coord-protocol';
import {
  addWatch, auth, create, encodeRecord, exists, getACL, getData, hangsUp, multi, multiRead, m, open, opStep, ping,
  resume, scenario, setData, whoAmI, type Ctx, type MultiPart, type OpStep, type P, type Scenario,
} from '../steps.js';
import { ALICE, ALL, READ, anyone } from './acl-ids.js';

/**
 * Jute's null (length -1) in every string and buffer field a client sends, as raw frames: the
 * server must read it as ZooKeeper's BinaryInputArchive does (null, not "") and then answer as
 * ZooKeeper 3.8 does with that null. kazoo writes every empty string this way, so `auth:''`
 * arrives as `auth:null`.
 */

/** Jute's null where the record says string: the encoder writes length -1 for it. */
const NUL = null as unknown as string;
const at = (c: Ctx, p: P | null): string => (p === null ? NUL : c.path(p));
const shown = (p: P | null): string => (p === null ? 'null' : typeof p === 'string' ? `$${p}` : JSON.stringify(p.abs));

const acl = (perms: number, scheme: string | null, id: string | null): ACL => ({ perms, id: { scheme: scheme ?? NUL, id: id ?? NUL } });
const showAcl = (l: readonly ACL[]): string => l.map((a) => `${a.perms}:${a.id.scheme ?? 'null'}:${a.id.id ?? 'null'}`).join(',');
const AUTH_NULL = acl(ALL, 'auth', null);

function createWith(s: string, op: 'create' | 'create2' | 'createContainer' | 'createTTL', p: P | null, o: { acl?: ACL[]; data?: Buffer | null; flags?: number; ttl?: number } = {}): OpStep {
  const l = o.acl ?? [anyone(ALL)];
  const flags = o.flags ?? (op === 'createContainer' ? 4 : op === 'createTTL' ? 5 : 0);
  const data = o.data === undefined ? Buffer.from('d') : o.data;
  const show = `${op} ${shown(p)} data=${data === null ? 'null' : JSON.stringify(data.toString())} acl=${showAcl(l)} flags=${flags}`;
  return opStep(s, op, show, (c) => {
    const req = { path: at(c, p), data, acl: l, flags };
    return op === 'createTTL' ? encodeRecord('CreateTTLRequest', { ...req, ttl: o.ttl ?? 60_000 }) : encodeRecord('CreateRequest', req);
  });
}
const setAclWith = (s: string, p: P | null, l: ACL[]): OpStep =>
  opStep(s, 'setACL', `setACL ${shown(p)} acl=${showAcl(l)}`, (c) => encodeRecord('SetACLRequest', { path: at(c, p), acl: l, version: -1 }));
const setDataWith = (s: string, p: P | null, data: Buffer | null): OpStep =>
  opStep(s, 'setData', `setData ${shown(p)} data=${data === null ? 'null' : JSON.stringify(data.toString())}`, (c) =>
    encodeRecord('SetDataRequest', { path: at(c, p), data, version: -1 }));

/** One path-only request (with the op's other fields at harmless values) whose path is null. */
const PATH_ONLY = {
  delete: () => encodeRecord('DeleteRequest', { path: NUL, version: -1 }),
  setData: () => encodeRecord('SetDataRequest', { path: NUL, data: Buffer.from('x'), version: -1 }),
  check: () => encodeRecord('CheckVersionRequest', { path: NUL, version: -1 }),
  exists: () => encodeRecord('ExistsRequest', { path: NUL, watch: true }),
  getChildren: () => encodeRecord('GetChildrenRequest', { path: NUL, watch: true }),
  getChildren2: () => encodeRecord('GetChildren2Request', { path: NUL, watch: false }),
  getACL: () => encodeRecord('GetACLRequest', { path: NUL }),
  getAllChildrenNumber: () => encodeRecord('GetAllChildrenNumberRequest', { path: NUL }),
  sync: () => encodeRecord('SyncRequest', { path: NUL }),
  checkWatches: () => encodeRecord('CheckWatchesRequest', { path: NUL, type: 3 }),
  removeWatches: () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 3 }),
} satisfies Partial<Record<OpName, (c: Ctx) => Buffer>>;
const nullPath = (s: string, op: keyof typeof PATH_ONLY): OpStep => opStep(s, op, `${op} null`, PATH_ONLY[op]);

const authWith = (s: string, scheme: string | null, credential: Buffer | null): OpStep =>
  opStep(s, 'auth', `auth ${scheme ?? 'null'} ${credential === null ? 'null' : JSON.stringify(credential.toString())}`, () =>
    encodeRecord('AuthPacket', { type: 0, scheme: scheme ?? NUL, auth: credential }), -4);

const mNull = {
  create: (p: P | null, data: Buffer | null = Buffer.from('d'), l: ACL[] = [anyone(ALL)]): MultiPart => ({
    show: `create ${shown(p)} data=${data === null ? 'null' : 'd'} acl=${showAcl(l)}`,
    op: (c) => ({ type: OpCode.create, body: { path: at(c, p), data, acl: l, flags: 0 } }),
  }),
  setData: (p: P | null, data: Buffer | null): MultiPart => ({
    show: `setData ${shown(p)} data=${data === null ? 'null' : 'x'}`,
    op: (c) => ({ type: OpCode.setData, body: { path: at(c, p), data, version: -1 } }),
  }),
  delete: (p: P | null): MultiPart => ({ show: `delete ${shown(p)}`, op: (c) => ({ type: OpCode.delete, body: { path: at(c, p), version: -1 } }) }),
  check: (p: P | null): MultiPart => ({ show: `check ${shown(p)}`, op: (c) => ({ type: OpCode.check, body: { path: at(c, p), version: -1 } }) }),
  getData: (p: P | null): MultiPart => ({ show: `getData ${shown(p)}`, op: (c) => ({ type: OpCode.getData, body: { path: at(c, p), watch: false } }) }),
  getChildren: (p: P | null): MultiPart => ({ show: `getChildren ${shown(p)}`, op: (c) => ({ type: OpCode.getChildren, body: { path: at(c, p), watch: false } }) }),
};

/** A request that may make the server hang up, on its own session, then a ping on it and on a second session. */
const lone = (name: string, step: (s: string) => OpStep, before: ((s: string) => OpStep)[] = []): Scenario =>
  scenario(name, [open('s1'), open('s2'), ...before.map((b) => b('s1')), step('s1'), ping('s1'), ping('s2')]);

const watchBody = (c: Ctx, lists: Record<string, (P | null)[] | null>, two: boolean): Buffer => {
  const v = (k: string): string[] => {
    const l = lists[k];
    return l === null ? (null as unknown as string[]) : (l ?? []).map((p) => at(c, p));
  };
  const base = { relativeZxid: 0, dataWatches: v('data'), existWatches: v('exist'), childWatches: v('child') };
  return two
    ? encodeRecord('SetWatches2', { ...base, persistentWatches: v('persistent'), persistentRecursiveWatches: v('recursive') })
    : encodeRecord('SetWatches', base);
};
const setWatchesWith = (s: string, show: string, lists: Record<string, (P | null)[] | null>, two = false): OpStep =>
  opStep(s, two ? 'setWatches2' : 'setWatches', `${two ? 'setWatches2' : 'setWatches'} ${show}`, (c) => watchBody(c, lists, two), -8);

export const scenarios: Scenario[] = [
  // ---- ACL ids and schemes ------------------------------------------------------------------
  scenario('auth ACL with a null id after addAuth digest (kazoo)', [
    open('s1'), open('s2'),
    auth('s1', 'digest', ALICE),
    createWith('s1', 'create', '/a', { acl: [AUTH_NULL] }),
    getACL('s1', '/a'),
    getData('s2', '/a'),
    createWith('s1', 'create2', '/b', { acl: [acl(READ, 'auth', null)] }),
    createWith('s1', 'createContainer', '/c', { acl: [AUTH_NULL] }),
    createWith('s1', 'createTTL', '/t', { acl: [AUTH_NULL] }),
    getACL('s1', '/b'), getACL('s1', '/c'), getACL('s1', '/t'),
    createWith('s1', 'create', '/n'),
    setAclWith('s1', '/n', [AUTH_NULL]),
    getACL('s1', '/n'),
    multi('s1', mNull.create('/m', Buffer.from('d'), [AUTH_NULL])),
    getACL('s1', '/m'),
  ]),
  scenario('auth ACL with a null id and no digest identity', [
    open('s1'),
    createWith('s1', 'create', '/a', { acl: [AUTH_NULL] }),
    auth('s1', 'ip', '127.0.0.1'),
    createWith('s1', 'create', '/a', { acl: [AUTH_NULL] }),
    createWith('s1', 'create', '/n'),
    setAclWith('s1', '/n', [AUTH_NULL]),
    exists('s1', '/a'),
  ]),
  scenario('a null id in every other scheme', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    createWith('s1', 'create', '/world', { acl: [acl(ALL, 'world', null)] }),
    createWith('s1', 'create', '/digest', { acl: [acl(ALL, 'digest', null)] }),
    createWith('s1', 'create', '/ip', { acl: [acl(ALL, 'ip', null)] }),
    createWith('s1', 'create', '/unknown', { acl: [acl(ALL, 'nosuch', null)] }),
    createWith('s1', 'create', '/super', { acl: [acl(ALL, 'super', null)] }),
    createWith('s1', 'create', '/n'),
    setAclWith('s1', '/n', [acl(ALL, 'world', null)]),
    setAclWith('s1', '/n', [acl(ALL, 'digest', null)]),
    setAclWith('s1', '/n', [acl(ALL, 'ip', null)]),
    getACL('s1', '/n'),
  ]),
  scenario('a null scheme', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    createWith('s1', 'create', '/a', { acl: [acl(ALL, null, 'anyone')] }),
    createWith('s1', 'create', '/b', { acl: [acl(ALL, null, null)] }),
    createWith('s1', 'create', '/c', { acl: [acl(ALL, null, 'anyone'), anyone(ALL)] }),
    createWith('s1', 'create', '/n'),
    setAclWith('s1', '/n', [acl(ALL, null, null)]),
    exists('s1', '/a'),
  ]),
  scenario('null ids and schemes next to other entries', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    // Same perms: the later entry is compared with the earlier ones to drop duplicates.
    createWith('s1', 'create', '/a', { acl: [anyone(ALL), acl(ALL, null, 'anyone')] }),
    createWith('s1', 'create', '/b', { acl: [AUTH_NULL, AUTH_NULL] }),
    createWith('s1', 'create', '/c', { acl: [acl(ALL, 'auth', ''), AUTH_NULL] }),
    createWith('s1', 'create', '/d', { acl: [AUTH_NULL, acl(ALL, 'auth', '')] }),
    createWith('s1', 'create', '/e', { acl: [anyone(ALL), AUTH_NULL] }),
    createWith('s1', 'create', '/f', { acl: [AUTH_NULL, acl(READ, 'auth', null)] }),
    // Different perms: no comparison reaches the null.
    createWith('s1', 'create', '/g', { acl: [anyone(ALL), acl(READ, null, 'anyone')] }),
    createWith('s1', 'create', '/h', { acl: [anyone(READ), acl(ALL, 'world', null)] }),
    createWith('s1', 'create', '/i', { acl: [anyone(ALL), acl(ALL, 'world', null)] }),
    getACL('s1', '/c'), getACL('s1', '/d'), getACL('s1', '/e'), getACL('s1', '/f'),
  ]),
  scenario('null ACL entries inside a multi', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    multi('s1', mNull.create('/a'), mNull.create('/b', Buffer.from('d'), [acl(ALL, 'world', null)])),
    multi('s1', mNull.create('/a'), mNull.create('/b', Buffer.from('d'), [acl(ALL, null, 'anyone')])),
    multi('s1', mNull.create('/a'), mNull.create('/b', Buffer.from('d'), [AUTH_NULL, AUTH_NULL])),
    exists('s1', '/a'),
  ]),

  // ---- data ---------------------------------------------------------------------------------
  scenario('null data in every write that carries data', [
    open('s1'),
    createWith('s1', 'create', '/a', { data: null }),
    createWith('s1', 'create2', '/b', { data: null }),
    createWith('s1', 'createContainer', '/c', { data: null }),
    createWith('s1', 'createTTL', '/t', { data: null }),
    getData('s1', '/a'), getData('s1', '/b'), getData('s1', '/c'), getData('s1', '/t'),
    createWith('s1', 'create', '/s'),
    setDataWith('s1', '/s', null),
    getData('s1', '/s'),
    multi('s1', mNull.create('/m', null), mNull.setData('/a', null)),
    multiRead('s1', mNull.getData('/m'), mNull.getData('/a'), m.getData('/s')),
  ]),

  // ---- null paths ---------------------------------------------------------------------------
  lone('create with a null path', (s) => createWith(s, 'create', null)),
  lone('create2 with a null path', (s) => createWith(s, 'create2', null)),
  lone('createContainer with a null path', (s) => createWith(s, 'createContainer', null)),
  lone('createTTL with a null path', (s) => createWith(s, 'createTTL', null)),
  lone('create with a null path and a TTL flag', (s) => createWith(s, 'create', null, { flags: 5 })),
  lone('createTTL with a null path and no TTL', (s) => createWith(s, 'createTTL', null, { ttl: 0 })),
  lone('create with a null path and a null ACL scheme', (s) => createWith(s, 'create', null, { acl: [acl(ALL, null, null)] })),
  lone('delete with a null path', (s) => nullPath(s, 'delete')),
  lone('setData with a null path', (s) => nullPath(s, 'setData')),
  lone('setData with a null path and null data', (s) => setDataWith(s, null, null)),
  lone('setACL with a null path', (s) => setAclWith(s, null, [anyone(ALL)])),
  lone('check with a null path', (s) => nullPath(s, 'check')),
  lone('exists with a null path', (s) => nullPath(s, 'exists')),
  lone('getChildren with a null path', (s) => nullPath(s, 'getChildren')),
  lone('getChildren2 with a null path', (s) => nullPath(s, 'getChildren2')),
  lone('getACL with a null path', (s) => nullPath(s, 'getACL')),
  lone('getAllChildrenNumber with a null path', (s) => nullPath(s, 'getAllChildrenNumber')),
  lone('sync with a null path', (s) => nullPath(s, 'sync')),
  lone('checkWatches with a null path', (s) => nullPath(s, 'checkWatches')),
  lone('removeWatches with a null path', (s) => nullPath(s, 'removeWatches')),
  scenario('getEphemerals with a null prefix', [
    open('s1'),
    create('s1', '/e1', '', { mode: 'EPHEMERAL' }),
    create('s1', '/e2', '', { mode: 'EPHEMERAL' }),
    opStep('s1', 'getEphemerals', 'getEphemerals null', () => encodeRecord('GetEphemeralsRequest', { prefixPath: NUL })),
  ]),
  scenario('addWatch with a null path, then check and remove it', [
    open('s1'), open('s2'),
    opStep('s1', 'addWatch', 'addWatch null PERSISTENT', () => encodeRecord('AddWatchRequest', { path: NUL, mode: 0 })),
    opStep('s1', 'addWatch', 'addWatch null PERSISTENT_RECURSIVE', () => encodeRecord('AddWatchRequest', { path: NUL, mode: 1 })),
    create('s2', '/a'),
    ping('s1'),
    nullPath('s1', 'checkWatches'),
    nullPath('s1', 'removeWatches'),
    nullPath('s1', 'removeWatches'),
    addWatch('s1', '', 'PERSISTENT_RECURSIVE'),
    nullPath('s1', 'checkWatches'),
    ping('s1'),
  ]),
  scenario('addWatch with a null path, then remove it per watcher type', [
    open('s1'),
    opStep('s1', 'addWatch', 'addWatch null PERSISTENT_RECURSIVE', () => encodeRecord('AddWatchRequest', { path: NUL, mode: 1 })),
    opStep('s1', 'removeWatches', 'removeWatches null Data', () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 2 })),
    opStep('s1', 'removeWatches', 'removeWatches null Data', () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 2 })),
    opStep('s1', 'removeWatches', 'removeWatches null Children', () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 1 })),
    nullPath('s1', 'removeWatches'),
    opStep('s1', 'addWatch', 'addWatch null PERSISTENT', () => encodeRecord('AddWatchRequest', { path: NUL, mode: 0 })),
    opStep('s1', 'addWatch', 'addWatch null mode 7', () => encodeRecord('AddWatchRequest', { path: NUL, mode: 7 })),
    ping('s1'),
  ]),
  scenario('setWatches2 with a null persistent path twice', [
    open('s1'),
    setWatchesWith('s1', 'persistent [null]', { persistent: [null] }, true),
    setWatchesWith('s1', 'recursive [null]', { recursive: [null] }, true),
    opStep('s1', 'removeWatches', 'removeWatches null Data', () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 2 })),
    opStep('s1', 'removeWatches', 'removeWatches null Children', () => encodeRecord('RemoveWatchesRequest', { path: NUL, type: 1 })),
    ping('s1'),
  ]),
  lone('sasl with a null token', (s) => opStep(s, OpCode.sasl, 'sasl token=null', () => encodeRecord('SyncRequest', { path: NUL }))),
  lone('sasl with an empty body', (s) => opStep(s, OpCode.sasl, 'sasl no body', () => Buffer.alloc(0))),
  scenario('multi with a null path', [
    open('s1'),
    create('s1', '/a'),
    multi('s1', mNull.create('/x'), mNull.create(null)),
    multi('s1', mNull.create('/x'), mNull.delete(null)),
    multi('s1', mNull.create('/x'), mNull.setData(null, Buffer.from('x'))),
    multi('s1', mNull.create('/x'), mNull.check(null)),
    multi('s1', mNull.check(null), mNull.create('/x')),
    multi('s1', mNull.create('/x', null, [acl(ALL, null, null)]), mNull.delete(null)),
    exists('s1', '/x'),
    create('s1', '/y'),
    ping('s1'),
  ]),
  scenario('multiRead with a null path', [
    open('s1'),
    create('s1', '/a', 'x'),
    multiRead('s1', mNull.getData('/a'), mNull.getData(null), mNull.getData('/a')),
    multiRead('s1', mNull.getChildren('/a'), mNull.getChildren(null)),
    multiRead('s1', mNull.getData(null)),
    ping('s1'),
  ]),

  // ---- setWatches ---------------------------------------------------------------------------
  scenario('setWatches with a null path in a list', [
    open('s1'), open('s2'),
    create('s2', '/a', 'x'),
    setWatchesWith('s1', 'data [$/gone, null, $/a]', { data: ['/gone', null, '/a'] }),
    setData('s2', '/a', 'y'),
    ping('s1'),
  ]),
  scenario('setWatches with null lists', [
    open('s1'), open('s2'),
    create('s2', '/a', 'x'),
    setWatchesWith('s1', 'data [$/gone] exist null child []', { data: ['/gone'], exist: null, child: [] }),
    setWatchesWith('s1', 'data null', { data: null }),
    ping('s1'),
  ]),
  scenario('setWatches2 with null in the persistent lists', [
    open('s1'), open('s2'),
    setWatchesWith('s1', 'persistent [null, $/a]', { persistent: [null, '/a'] }, true),
    setWatchesWith('s1', 'recursive null', { recursive: null }, true),
    create('s2', '/a', 'x'),
    ping('s1'),
  ]),

  // ---- auth packets -------------------------------------------------------------------------
  lone('auth with a null scheme', (s) => authWith(s, null, Buffer.from(ALICE))),
  lone('auth digest with null credentials', (s) => authWith(s, 'digest', null)),
  lone('auth ip with null credentials', (s) => authWith(s, 'ip', null)),
  lone('auth with a null scheme and null credentials', (s) => authWith(s, null, null)),
  scenario('auth digest with null credentials after a good one', [
    open('s1'),
    auth('s1', 'digest', ALICE),
    authWith('s1', 'digest', null),
    hangsUp('s1'),
  ]),
  scenario('whoAmI after auth ip with null credentials', [
    open('s1'),
    authWith('s1', 'ip', null),
    whoAmI('s1'),
  ]),

  // ---- handshake ----------------------------------------------------------------------------
  scenario('a new session with a null password', [
    open('s1', { passwd: null }),
    create('s1', '/a'),
    resume('s1', { as: 's1b' }),
    exists('s1b', '/a'),
  ]),
  scenario('resuming a session with a null password', [
    open('s1'),
    resume('s1', { as: 's1b', passwd: 'null' }),
    ping('s1'),
  ]),
];
