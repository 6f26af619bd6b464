export { CoordClient, type CoordClientEvents } from './client.js';
export type { CoordClientOptions, RetryOptions } from './options.js';
export type { ClientState } from './states.js';
export type { Logger, LogFn, Clock, TimerHandle } from '@paddock/edges';
export type {
  AclResult, AuthInfo, ChildrenResult, CreateOptions, CreateResult, Data, DataResult, WatchedEvent, Watcher,
} from './types.js';
export {
  Transaction,
  type Op, type OpResult, type CreateOpResult, type DeleteOpResult, type SetDataOpResult, type CheckOpResult,
  type ReadOp, type ReadOpResult, type GetDataOpResult, type GetChildrenOpResult,
} from './transaction.js';
export { MultiError, type ErrorResult } from './errors.js';
export {
  KeeperError, Code, CreateMode, EventType, KeeperState, Perms, Ids, AddWatchMode, WatcherType,
} from '@paddock/coord-protocol';
export type {
  ACL, Id, Stat, ClientInfo, CodeValue, CreateModeValue, EventTypeValue, KeeperStateValue,
} from '@paddock/coord-protocol';
