import { DEFAULT_MAX_BUFFER } from '@paddock/coord-protocol';
import { checkOption } from '@paddock/edges';

/**
 * Bounds on what a peer may send on the quorum port. A QuorumPacket has no outer length, so
 * the bound is on each length field inside it, as ZooKeeper's BinaryInputArchive puts it: a
 * buffer or string longer than jute.maxbuffer + zookeeper.jute.maxbuffer.extrasize is refused
 * (extrasize defaults to jute.maxbuffer and is never below 1024). With ZooKeeper's defaults
 * that is 2 * 0xfffff = 2097150 bytes, so whatever a ZooKeeper 3.8 peer accepts, we accept.
 */
export interface QuorumLimitOptions {
  /** The peer's jute.maxbuffer; default 0xfffff. */
  readonly juteMaxBuffer?: number;
  /** zookeeper.jute.maxbuffer.extrasize; default jute.maxbuffer, raised to 1024 if below (as ZooKeeper does). */
  readonly extraMaxBuffer?: number;
  /**
   * Ids in one packet's authinfo: ZooKeeper sets no bound; a forwarded request carries one per
   * addAuth of its client plus its ip id. Default 1024.
   */
  readonly maxAuthInfo?: number;
  /** Bytes of the snapshot that follows a SNAP packet (held in memory whole); default 1 GiB. */
  readonly maxSnapshotBytes?: number;
}

export interface QuorumLimits {
  /** Largest buffer or string length accepted. */
  readonly maxLength: number;
  /** How maxLength was reached, for error messages. */
  readonly maxLengthRule: string;
  readonly maxAuthInfo: number;
  readonly maxSnapshotBytes: number;
}

const DEFAULT_MAX_AUTH_INFO = 1024;
const DEFAULT_MAX_SNAPSHOT = 1024 * 1024 * 1024;
/** ZooKeeper's floor for extrasize (the value it once hard-coded). */
const MIN_EXTRA = 1024;

/** Lengths are jute ints: their sum must stay a positive int32 for the comparison to mean anything. */
const MAX_INT = 0x7fffffff;

function positiveInt(name: string, v: number): number {
  return checkOption.int(name, v, 1, MAX_INT);
}

export function quorumLimits(opts: QuorumLimitOptions = {}): QuorumLimits {
  const jute = positiveInt('juteMaxBuffer', opts.juteMaxBuffer ?? DEFAULT_MAX_BUFFER);
  const extra = Math.max(MIN_EXTRA, positiveInt('extraMaxBuffer', opts.extraMaxBuffer ?? jute));
  return {
    maxLength: jute + extra,
    maxLengthRule: `jute.maxbuffer ${jute} + zookeeper.jute.maxbuffer.extrasize ${extra}`,
    maxAuthInfo: positiveInt('maxAuthInfo', opts.maxAuthInfo ?? DEFAULT_MAX_AUTH_INFO),
    // A Buffer of the whole section is made at the end; Node caps one Buffer near 4 GiB.
    maxSnapshotBytes: checkOption.int('maxSnapshotBytes', opts.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT, 1, 2 ** 32 - 1),
  };
}

export const DEFAULT_QUORUM_LIMITS = quorumLimits();
