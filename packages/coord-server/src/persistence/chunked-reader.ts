import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { JuteError, JuteReader } from '@paddock/coord-protocol';

/** Bytes read at a time; an item bigger than this grows the window. */
const WINDOW = 4 * 1024 * 1024;

/**
 * Reads a checksummed file (body | uint32 crc32 of the body) front to back through a window,
 * so loading a snapshot holds a few MB of it at a time rather than all of it next to the tree
 * it becomes. Items are parsed from the window; one that runs past what is buffered is parsed
 * again once more has been read, so a parse must have no effect before it returns.
 */
export class ChunkedReader {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  private pos = 0;
  private crc = 0;
  private readonly fd: number;
  private readonly bodyEnd: number;

  constructor(private readonly file: string, minBody: number, window = WINDOW) {
    this.buf = Buffer.allocUnsafe(window);
    this.fd = openSync(file, 'r');
    const size = fstatSync(this.fd).size;
    if (size < minBody + 4) {
      closeSync(this.fd);
      throw new JuteError(`${file} is truncated`);
    }
    this.bodyEnd = size - 4;
  }

  next<T>(parse: (r: JuteReader) => T): T {
    for (;;) {
      const r = new JuteReader(this.buf, this.start, this.end);
      try {
        const value = parse(r);
        this.start = r.offset;
        return value;
      } catch (err) {
        if (!(err instanceof JuteError) || !this.fill()) throw err;
      }
    }
  }

  /** Reads more of the body after what is still unread; false once all of it was read. */
  private fill(): boolean {
    if (this.pos >= this.bodyEnd) return false;
    const unread = this.end - this.start;
    const into = unread === this.buf.length ? Buffer.allocUnsafe(this.buf.length * 2) : this.buf;
    this.buf.copy(into, 0, this.start, this.end);
    this.buf = into;
    this.start = 0;
    this.end = unread;
    const n = readSync(this.fd, this.buf, this.end, Math.min(this.buf.length - this.end, this.bodyEnd - this.pos), this.pos);
    if (n <= 0) throw new JuteError(`${this.file}: nothing read at byte ${this.pos}`);
    this.crc = crc32(this.buf.subarray(this.end, this.end + n), this.crc);
    this.end += n;
    this.pos += n;
    return true;
  }

  /** After the last item: the body must be used up and match the checksum after it. */
  finish(): void {
    if (this.start !== this.end || this.pos !== this.bodyEnd) throw new JuteError(`${this.file} has bytes after its last item`);
    const sum = Buffer.alloc(4);
    if (readSync(this.fd, sum, 0, 4, this.bodyEnd) !== 4 || sum.readUInt32BE(0) !== (this.crc >>> 0)) {
      throw new JuteError(`${this.file} fails its checksum`);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
