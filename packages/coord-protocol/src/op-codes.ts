import type { RecordName } from './records.js';

/** ZooKeeper's request op codes (ZooDefs.OpCode). */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;
export type OpName = keyof typeof OpCode;

/** Reserved xids (ClientCnxn): replies and events with these xids are not answers to a call. */
export const Xid = {
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;

export interface OpSpec {
  readonly name: OpName;
  readonly code: number;
  /** Request body record; null when the op carries no body. */
  readonly request: RecordName | null;
  /** Response body record on success; null when the reply is the header alone. */
  readonly response: RecordName | null;
  /** Writes change the tree and get a zxid; reads do not. */
  readonly write: boolean;
}

const spec = (name: OpName, request: RecordName | null, response: RecordName | null, write: boolean): OpSpec =>
  ({ name, code: OpCode[name], request, response, write });

/**
 * The records of every op a client may send. multi/multiRead are framed specially
 * (MultiHeader sequences) and are decoded by `multi.ts`.
 */
export const OPS: readonly OpSpec[] = [
  spec('create', 'CreateRequest', 'CreateResponse', true),
  spec('create2', 'CreateRequest', 'Create2Response', true),
  spec('createContainer', 'CreateRequest', 'Create2Response', true),
  spec('createTTL', 'CreateTTLRequest', 'Create2Response', true),
  spec('delete', 'DeleteRequest', null, true),
  spec('setData', 'SetDataRequest', 'SetDataResponse', true),
  spec('setACL', 'SetACLRequest', 'SetACLResponse', true),
  spec('check', 'CheckVersionRequest', null, true),
  spec('multi', null, null, true),
  spec('exists', 'ExistsRequest', 'ExistsResponse', false),
  spec('getData', 'GetDataRequest', 'GetDataResponse', false),
  spec('getACL', 'GetACLRequest', 'GetACLResponse', false),
  spec('getChildren', 'GetChildrenRequest', 'GetChildrenResponse', false),
  spec('getChildren2', 'GetChildren2Request', 'GetChildren2Response', false),
  spec('multiRead', null, null, false),
  spec('sync', 'SyncRequest', 'SyncResponse', false),
  spec('ping', null, null, false),
  spec('setWatches', 'SetWatches', null, false),
  spec('setWatches2', 'SetWatches2', null, false),
  // ZooKeeper answers addWatch with an ErrorResponse(0) body (FinalRequestProcessor).
  spec('addWatch', 'AddWatchRequest', 'ErrorResponse', false),
  spec('checkWatches', 'CheckWatchesRequest', null, false),
  spec('removeWatches', 'RemoveWatchesRequest', null, false),
  spec('getEphemerals', 'GetEphemeralsRequest', 'GetEphemeralsResponse', false),
  spec('getAllChildrenNumber', 'GetAllChildrenNumberRequest', 'GetAllChildrenNumberResponse', false),
  spec('whoAmI', null, 'WhoAmIResponse', false),
  spec('auth', 'AuthPacket', null, false),
  // With SASL not set up, ZooKeeper answers a token with an empty (null) one.
  spec('sasl', 'GetSASLRequest', 'SetSASLResponse', false),
  spec('closeSession', null, null, true),
];

const byCode = new Map<number, OpSpec>(OPS.map((o) => [o.code, o]));

/** The spec for an op code, or undefined for codes Paddock does not serve. */
export function opSpec(code: number): OpSpec | undefined {
  return byCode.get(code);
}

/** CreateMode flags as sent in CreateRequest.flags. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateModeValue = (typeof CreateMode)[keyof typeof CreateMode];

export interface CreateModeInfo {
  readonly ephemeral: boolean;
  readonly sequential: boolean;
  readonly container: boolean;
  readonly ttl: boolean;
}

const MODES: readonly CreateModeInfo[] = [
  { ephemeral: false, sequential: false, container: false, ttl: false },
  { ephemeral: true, sequential: false, container: false, ttl: false },
  { ephemeral: false, sequential: true, container: false, ttl: false },
  { ephemeral: true, sequential: true, container: false, ttl: false },
  { ephemeral: false, sequential: false, container: true, ttl: false },
  { ephemeral: false, sequential: false, container: false, ttl: true },
  { ephemeral: false, sequential: true, container: false, ttl: true },
];

/** Decodes CreateRequest.flags; undefined for a flag value ZooKeeper rejects. */
export function createModeInfo(flags: number): CreateModeInfo | undefined {
  return MODES[flags];
}

/** Watch event types (Watcher.Event.EventType). */
export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;
export type EventTypeValue = (typeof EventType)[keyof typeof EventType];

/** Connection states carried by watch events (Watcher.Event.KeeperState). */
export const KeeperState = {
  Disconnected: 0,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
export type KeeperStateValue = (typeof KeeperState)[keyof typeof KeeperState];

/** addWatch modes (AddWatchMode). */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** removeWatches/checkWatches watcher types (Watcher.WatcherType). */
export const WatcherType = { Children: 1, Data: 2, Any: 3 } as const;

/** ACL permission bits (ZooDefs.Perms). */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** The ACLs ZooKeeper predefines (ZooDefs.Ids). */
export const Ids = {
  OPEN_ACL_UNSAFE: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
  CREATOR_ALL_ACL: [{ perms: 31, id: { scheme: 'auth', id: '' } }],
  READ_ACL_UNSAFE: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }],
} as const;
