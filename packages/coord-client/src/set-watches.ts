import { OpCode, type RecordType } from '@paddock/coord-protocol';

/**
 * ZooKeeper's client caps each SetWatches packet at about 128 KB of path characters (it may
 * exceed it by the last path added), so a large watch set never hits the server's frame limit.
 */
export const SET_WATCHES_MAX_LENGTH = 128 * 1024;

/** Server paths of every watch to re-register, one list per watch table. */
export interface WatchSnapshot {
  readonly data: readonly string[];
  readonly exist: readonly string[];
  readonly child: readonly string[];
  readonly persistent: readonly string[];
  readonly persistentRecursive: readonly string[];
}

export type SetWatchesPacket =
  | { readonly op: typeof OpCode.setWatches; readonly record: RecordType<'SetWatches'> }
  | { readonly op: typeof OpCode.setWatches2; readonly record: RecordType<'SetWatches2'> };

const ORDER = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'] as const;

/**
 * Splits the watch set into SetWatches packets in ZooKeeper's order (data, exist, child,
 * persistent, recursive). A packet without persistent watches uses the old SetWatches op so
 * servers older than 3.6 still understand it; otherwise SetWatches2.
 */
export function setWatchesPackets(
  relativeZxid: number, snapshot: WatchSnapshot, maxLength = SET_WATCHES_MAX_LENGTH,
): SetWatchesPacket[] {
  const packets: SetWatchesPacket[] = [];
  let kind = 0;
  let index = 0;
  for (;;) {
    while (kind < ORDER.length && index >= snapshot[ORDER[kind]!].length) {
      kind++;
      index = 0;
    }
    if (kind >= ORDER.length) return packets;
    const batch: Record<(typeof ORDER)[number], string[]> = {
      data: [], exist: [], child: [], persistent: [], persistentRecursive: [],
    };
    let length = 0;
    while (length < maxLength && kind < ORDER.length) {
      const list = snapshot[ORDER[kind]!];
      if (index >= list.length) {
        kind++;
        index = 0;
        continue;
      }
      const path = list[index++]!;
      batch[ORDER[kind]!].push(path);
      length += path.length;
    }
    packets.push(packetOf(relativeZxid, batch));
  }
}

function packetOf(relativeZxid: number, b: Record<(typeof ORDER)[number], string[]>): SetWatchesPacket {
  const base = { relativeZxid, dataWatches: b.data, existWatches: b.exist, childWatches: b.child };
  if (b.persistent.length === 0 && b.persistentRecursive.length === 0) {
    return { op: OpCode.setWatches, record: base };
  }
  return {
    op: OpCode.setWatches2,
    record: { ...base, persistentWatches: b.persistent, persistentRecursiveWatches: b.persistentRecursive },
  };
}
