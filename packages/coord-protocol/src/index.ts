export { JuteError } from './jute/jute-error.js';
export { JuteReader } from './jute/reader.js';
export { JuteWriter, asciiInto, putInt32BE, putLongBE } from './jute/writer.js';
export { readAclList, writeAclList } from './acl-list.js';
export { RECORDS } from './records.js';
export type {
  RecordName, RecordType, WireRecord, Id, ACL, Stat, ClientInfo, ConnectRequest, ConnectResponse,
  RequestHeader, ReplyHeader, MultiHeader, WatcherEvent,
} from './records.js';
export { codec, decodeRecord, type Codec } from './codec.js';
export {
  OpCode, Xid, OPS, opSpec, CreateMode, createModeInfo, EventType, KeeperState, AddWatchMode,
  WatcherType, Perms, Ids,
} from './op-codes.js';
export type {
  OpName, OpSpec, CreateModeValue, CreateModeInfo, EventTypeValue, KeeperStateValue,
} from './op-codes.js';
export { Code, KeeperError, errorName, isKnownCode, ALL_CODES } from './error-codes.js';
export type { CodeValue, ErrorName } from './error-codes.js';
export {
  pathError, isValidPath, validatePath, parentPath, baseName, joinPath, sequenceSuffix,
} from './path.js';
export { FrameDecoder, FrameError, frameOf } from './framing.js';
export { FOUR_LETTER_WORDS, fourLetterWordOf, type FourLetterWord } from './four-letter.js';
export {
  decodeMultiRequest, encodeMultiRequest, encodeMultiResponse, decodeMultiResponse,
  MULTI_WRITE_OPS, MULTI_READ_OPS, MULTI_ANY_OPS, MAX_MULTI_OPS, type MultiOp, type MultiResult,
} from './multi.js';

/** Default jute.maxbuffer: the largest frame a peer accepts (0xfffff bytes). */
export const DEFAULT_MAX_BUFFER = 0xfffff;
export {
  StatsTrack, QUOTA_ROOT, QUOTA_LIMIT_NODE, QUOTA_STAT_NODE, quotaPath, quotaLimitPath, quotaStatPath, type QuotaKey,
} from './stats-track.js';
