import { JuteReader } from './jute/reader.js';
import type { JuteWriter } from './jute/writer.js';
import { RECORDS, type RecordName, type RecordType, type WireRecord } from './records.js';

export interface Codec<T, W = T> {
  /** Reads the record; a null string reads as "" and a null vector as [] (see JuteReader.ustring). */
  decode(r: JuteReader): T;
  /** Reads the record as ZooKeeper's jute reader does: null strings and vectors stay null. */
  decodeWire(r: JuteReader): W;
  encode(w: JuteWriter, v: T): void;
}

type AnyCodec = Codec<unknown>;
const SCALARS = new Set(['int', 'long', 'id', 'bool', 'buffer', 'ustring']);
/** Smallest wire size of one vector element: bounds a vector length before allocating. */
const MIN_SIZE: Record<string, number> = { int: 4, long: 8, id: 8, bool: 1, buffer: 4, ustring: 4 };

function minSize(kind: string): number {
  if (SCALARS.has(kind)) return MIN_SIZE[kind] ?? 1;
  const fields = RECORDS[kind as RecordName] as readonly (readonly [string, string])[];
  return fields.reduce((n, [, k]) => n + (k.endsWith('[]') ? 4 : minSize(k)), 0);
}

/** The reader calls for one field kind: plain, or keeping jute's nulls (`wire`). */
function readerOf(kind: string, wire: boolean): string {
  const method = wire ? 'decodeWire' : 'decode';
  if (kind.endsWith('[]')) {
    const elem = kind.slice(0, -2);
    const length = wire ? 'vectorLengthOrNull' : 'vectorLength';
    const n = `r.${length}(${minSize(elem)})`;
    const loop = `const a = new Array(n); for (let i = 0; i < n; i++) a[i] = ${readerOf(elem, wire)}; return a;`;
    return wire ? `(() => { const n = ${n}; if (n === null) return null; ${loop} })()` : `(() => { const n = ${n}; ${loop} })()`;
  }
  if (kind === 'ustring' && wire) return 'r.ustringOrNull()';
  return SCALARS.has(kind) ? `r.${kind}()` : `C.${kind}.${method}(r)`;
}

/**
 * Compiles each row of RECORDS into two decoders and an encoder with a fixed object shape,
 * once, at module load. Generated code keeps the hot path free of per-field dispatch.
 */
function compile(): Record<RecordName, AnyCodec> {
  const codecs = {} as Record<string, AnyCodec>;
  for (const name of Object.keys(RECORDS) as RecordName[]) {
    const fields = RECORDS[name] as readonly (readonly [string, string])[];
    const dec: string[] = [];
    const wire: string[] = [];
    const enc: string[] = [];
    for (const [field, kind] of fields) {
      const key = JSON.stringify(field);
      dec.push(`${key}: ${readerOf(kind, false)}`);
      wire.push(`${key}: ${readerOf(kind, true)}`);
      if (kind.endsWith('[]')) {
        const elem = kind.slice(0, -2);
        const writeElem = SCALARS.has(elem) ? `w.${elem}(x)` : `C.${elem}.encode(w, x)`;
        enc.push(`{ const a = v[${key}]; if (a == null) w.int(-1); else { w.int(a.length); for (const x of a) ${writeElem}; } }`);
      } else if (SCALARS.has(kind)) {
        enc.push(`w.${kind}(v[${key}]);`);
      } else {
        enc.push(`C.${kind}.encode(w, v[${key}]);`);
      }
    }
    const decode = new Function('C', `return function decode${name}(r) { return { ${dec.join(', ')} }; }`)(codecs);
    const decodeWire = new Function('C', `return function decodeWire${name}(r) { return { ${wire.join(', ')} }; }`)(codecs);
    const encode = new Function('C', `return function encode${name}(w, v) { ${enc.join(' ')} }`)(codecs);
    codecs[name] = { decode, decodeWire, encode } as AnyCodec;
  }
  return codecs as Record<RecordName, AnyCodec>;
}

const compiled = compile();

/** The codec for one record of RECORDS. */
export function codec<N extends RecordName>(name: N): Codec<RecordType<N>, WireRecord<N>> {
  return compiled[name] as Codec<RecordType<N>, WireRecord<N>>;
}

/** Decodes a whole buffer as one record (convenience for tests and tools). */
export function decodeRecord<N extends RecordName>(name: N, buf: Buffer): RecordType<N> {
  return codec(name).decode(new JuteReader(buf));
}
