/**
 * Every jute record Paddock speaks, as field lists in wire order. This table is our form of
 * ZooKeeper's `zookeeper.jute`; `codec.ts` compiles it into encoders and decoders, and the
 * TypeScript types below are derived from it, so wire order and types cannot drift apart.
 *
 * Field kinds: int (i32), long (i64 as number: zxids, times, TTLs), id (i64 as bigint:
 * session ids and ephemeral owners, whose high byte is the server id), bool, buffer,
 * ustring, a record name, and `[]` for a vector of either.
 */
export const RECORDS = {
  Id: [['scheme', 'ustring'], ['id', 'ustring']],
  ACL: [['perms', 'int'], ['id', 'Id']],
  Stat: [
    ['czxid', 'long'], ['mzxid', 'long'], ['ctime', 'long'], ['mtime', 'long'],
    ['version', 'int'], ['cversion', 'int'], ['aversion', 'int'], ['ephemeralOwner', 'id'],
    ['dataLength', 'int'], ['numChildren', 'int'], ['pzxid', 'long'],
  ],
  ClientInfo: [['authScheme', 'ustring'], ['user', 'ustring']],

  ConnectRequest: [
    ['protocolVersion', 'int'], ['lastZxidSeen', 'long'], ['timeOut', 'int'],
    ['sessionId', 'id'], ['passwd', 'buffer'],
  ],
  ConnectResponse: [['protocolVersion', 'int'], ['timeOut', 'int'], ['sessionId', 'id'], ['passwd', 'buffer']],
  RequestHeader: [['xid', 'int'], ['type', 'int']],
  ReplyHeader: [['xid', 'int'], ['zxid', 'long'], ['err', 'int']],
  MultiHeader: [['type', 'int'], ['done', 'bool'], ['err', 'int']],
  AuthPacket: [['type', 'int'], ['scheme', 'ustring'], ['auth', 'buffer']],
  WatcherEvent: [['type', 'int'], ['state', 'int'], ['path', 'ustring']],
  ErrorResponse: [['err', 'int']],

  SetWatches: [
    ['relativeZxid', 'long'], ['dataWatches', 'ustring[]'], ['existWatches', 'ustring[]'],
    ['childWatches', 'ustring[]'],
  ],
  SetWatches2: [
    ['relativeZxid', 'long'], ['dataWatches', 'ustring[]'], ['existWatches', 'ustring[]'],
    ['childWatches', 'ustring[]'], ['persistentWatches', 'ustring[]'],
    ['persistentRecursiveWatches', 'ustring[]'],
  ],

  CreateRequest: [['path', 'ustring'], ['data', 'buffer'], ['acl', 'ACL[]'], ['flags', 'int']],
  CreateTTLRequest: [['path', 'ustring'], ['data', 'buffer'], ['acl', 'ACL[]'], ['flags', 'int'], ['ttl', 'long']],
  CreateResponse: [['path', 'ustring']],
  Create2Response: [['path', 'ustring'], ['stat', 'Stat']],
  DeleteRequest: [['path', 'ustring'], ['version', 'int']],
  ExistsRequest: [['path', 'ustring'], ['watch', 'bool']],
  ExistsResponse: [['stat', 'Stat']],
  GetDataRequest: [['path', 'ustring'], ['watch', 'bool']],
  GetDataResponse: [['data', 'buffer'], ['stat', 'Stat']],
  SetDataRequest: [['path', 'ustring'], ['data', 'buffer'], ['version', 'int']],
  SetDataResponse: [['stat', 'Stat']],
  GetACLRequest: [['path', 'ustring']],
  GetACLResponse: [['acl', 'ACL[]'], ['stat', 'Stat']],
  SetACLRequest: [['path', 'ustring'], ['acl', 'ACL[]'], ['version', 'int']],
  SetACLResponse: [['stat', 'Stat']],
  GetChildrenRequest: [['path', 'ustring'], ['watch', 'bool']],
  GetChildrenResponse: [['children', 'ustring[]']],
  GetChildren2Request: [['path', 'ustring'], ['watch', 'bool']],
  GetChildren2Response: [['children', 'ustring[]'], ['stat', 'Stat']],
  CheckVersionRequest: [['path', 'ustring'], ['version', 'int']],
  SyncRequest: [['path', 'ustring']],
  SyncResponse: [['path', 'ustring']],
  AddWatchRequest: [['path', 'ustring'], ['mode', 'int']],
  CheckWatchesRequest: [['path', 'ustring'], ['type', 'int']],
  RemoveWatchesRequest: [['path', 'ustring'], ['type', 'int']],
  GetEphemeralsRequest: [['prefixPath', 'ustring']],
  GetEphemeralsResponse: [['ephemerals', 'ustring[]']],
  GetAllChildrenNumberRequest: [['path', 'ustring']],
  GetAllChildrenNumberResponse: [['totalNumber', 'int']],
  WhoAmIResponse: [['clientInfo', 'ClientInfo[]']],
  GetSASLRequest: [['token', 'buffer']],
  SetSASLResponse: [['token', 'buffer']],
} as const;

type Records = typeof RECORDS;
export type RecordName = keyof Records;

interface ScalarTypes {
  int: number;
  long: number;
  id: bigint;
  bool: boolean;
  buffer: Buffer | null;
  ustring: string;
}

/** The same fields as a peer may send them: jute lets every string and vector be null. */
interface WireScalarTypes extends Omit<ScalarTypes, 'ustring'> {
  ustring: string | null;
}

type FieldValue<K> = K extends keyof ScalarTypes
  ? ScalarTypes[K]
  : K extends `${infer E}[]`
    ? FieldValue<E>[]
    : K extends RecordName
      ? RecordType<K>
      : never;

type WireFieldValue<K> = K extends keyof WireScalarTypes
  ? WireScalarTypes[K]
  : K extends `${infer E}[]`
    ? WireFieldValue<E>[] | null
    : K extends RecordName
      ? WireRecord<K>
      : never;

type FieldsOf<L> = L extends readonly (readonly [string, string])[] ? L : never;

/** The TypeScript shape of a record, derived from its row in `RECORDS`: what we write. */
export type RecordType<N extends RecordName> = {
  -readonly [F in FieldsOf<Records[N]>[number] as F[0]]: FieldValue<F[1]>;
};

/**
 * A record as a peer may send it, which is what ZooKeeper's jute reader hands its server:
 * any string, buffer or vector may be null (length -1). A server decodes requests this way
 * and decides, field by field, what a null means, as ZooKeeper does.
 */
export type WireRecord<N extends RecordName> = {
  -readonly [F in FieldsOf<Records[N]>[number] as F[0]]: WireFieldValue<F[1]>;
};

export type Id = RecordType<'Id'>;
export type ACL = RecordType<'ACL'>;
export type Stat = RecordType<'Stat'>;
export type ClientInfo = RecordType<'ClientInfo'>;
export type ConnectRequest = RecordType<'ConnectRequest'>;
export type ConnectResponse = RecordType<'ConnectResponse'>;
export type RequestHeader = RecordType<'RequestHeader'>;
export type ReplyHeader = RecordType<'ReplyHeader'>;
export type MultiHeader = RecordType<'MultiHeader'>;
export type WatcherEvent = RecordType<'WatcherEvent'>;
