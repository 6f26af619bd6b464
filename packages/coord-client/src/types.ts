import type { ACL, ClientInfo, CreateModeValue, EventTypeValue, KeeperStateValue, Stat } from '@paddock/coord-protocol';

/** Node data as accepted by writes: bytes, or a string sent as UTF-8. */
export type Data = Uint8Array | string;

/** A watch notification or a connection-state change (type None, path null). */
export interface WatchedEvent {
  readonly type: EventTypeValue;
  readonly state: KeeperStateValue;
  /** Chroot-relative path of the node; null for connection-state events. */
  readonly path: string | null;
}

export type Watcher = (event: WatchedEvent) => void;

export interface CreateOptions {
  /** CreateMode flag; PERSISTENT when omitted. */
  readonly mode?: CreateModeValue;
  /** Defaults to Ids.OPEN_ACL_UNSAFE. */
  readonly acl?: readonly ACL[];
  /** Milliseconds; required for the *_WITH_TTL modes and refused for the others. */
  readonly ttl?: number;
}

export interface CreateResult {
  readonly path: string;
  readonly stat: Stat;
}

export interface DataResult {
  /** Null data (never set) reads as an empty buffer. */
  readonly data: Buffer;
  /** True when the node holds null rather than empty data (created or set without data); ZooKeeper keeps the two apart. */
  readonly nullData: boolean;
  readonly stat: Stat;
}

export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

export interface AclResult {
  readonly acl: ACL[];
  readonly stat: Stat;
}

export interface AuthInfo {
  readonly scheme: string;
  readonly auth: Data;
}
