const SHRINK_ABOVE = 4 * 1024 * 1024;

/**
 * Bytes received but not yet consumed, in one contiguous buffer so a record can be read across
 * chunk boundaries. Capacity doubles and consumed space is reclaimed by moving the live bytes
 * down once they fit in half, so n bytes pushed in any chunking cost O(n) copying in total.
 */
export class ByteQueue {
  private buf: Buffer;
  private readonly initial: number;
  /** Live bytes are buf[start..end). */
  private start = 0;
  private end = 0;

  constructor(initial = 64 * 1024) {
    this.initial = initial;
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.end - this.start;
  }

  /** The buffer the live bytes are in, at [head, tail); valid until the next append. */
  get bytes(): Buffer {
    return this.buf;
  }

  get head(): number {
    return this.start;
  }

  get tail(): number {
    return this.end;
  }

  append(chunk: Buffer): void {
    if (this.start === this.end) this.start = this.end = 0;
    const live = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      if (live + chunk.length <= this.buf.length >> 1) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let size = this.buf.length * 2;
        while (size < live + chunk.length) size *= 2;
        const next = Buffer.allocUnsafe(size);
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  consume(n: number): void {
    if (n > this.end - this.start) throw new RangeError(`consume ${n} of ${this.end - this.start} bytes`);
    this.start += n;
    // A snapshot may have grown the buffer to hundreds of MB: do not keep that for the
    // connection's life once it is consumed.
    if (this.start === this.end && this.buf.length > SHRINK_ABOVE) {
      this.buf = Buffer.allocUnsafe(this.initial);
      this.start = this.end = 0;
    }
  }

  /** A copy of the next n live bytes (the caller keeps it past later appends). */
  copy(n: number): Buffer {
    return Buffer.from(this.buf.subarray(this.start, this.start + n));
  }
}
