import { JuteError, type JuteReader } from '@paddock/coord-protocol';

/**
 * A jute long that our model keeps as a JS number (zxids, times, TTLs). JuteReader.long()
 * rounds above 2^53; such a value is refused here, naming the field and its exact bits,
 * rather than read wrong.
 */
export function safeLong(r: JuteReader, what: string): number {
  const at = r.offset;
  const v = r.long();
  if (!Number.isSafeInteger(v)) {
    throw new JuteError(`${what} 0x${r.buf.readBigUInt64BE(at).toString(16)} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return v;
}
