/** A frame whose length prefix is negative or above the limit: the connection must close. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/**
 * Splits a TCP byte stream into ZooKeeper frames (a 4-byte big-endian length, then that many
 * bytes); used by both the server and the client. Whole frames inside one chunk are handed out
 * as views without copying; a frame split across chunks is joined once, when complete. A
 * negative length or one above `maxFrame` (jute.maxbuffer) is a FrameError.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Until the first frame is seen, its four bytes may be a four-letter word instead. */
  private first = true;

  constructor(
    /** The largest frame accepted; may change between frames (a server allows a small first one). */
    public maxFrame: number,
    /** Gets each frame as buf[start..end); returning false stops (the connection is closing). */
    private readonly onFrame: (buf: Buffer, start: number, end: number) => boolean | void,
    private readonly onFirstInt?: (value: number) => boolean,
  ) {}

  /** Feeds a chunk. Stops early when a handler returns false (the connection is closing). */
  push(chunk: Buffer): void {
    let buf: Buffer;
    if (this.buffered === 0) {
      buf = chunk;
    } else {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < this.needed()) return;
      buf = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readInt32BE(off);
      if (this.first) {
        this.first = false;
        if (this.onFirstInt?.(len)) return;
      }
      if (len < 0 || len > this.maxFrame) throw new FrameError(`frame length ${len} outside 0..${this.maxFrame}`);
      if (buf.length - off - 4 < len) break;
      const start = off + 4;
      off = start + len;
      if (this.onFrame(buf, start, off) === false) return;
    }
    if (off < buf.length) {
      // A copy: the caller may reuse the chunk's memory once push returns.
      const rest = Buffer.from(buf.subarray(off));
      this.chunks.push(rest);
      this.buffered = rest.length;
    }
  }

  /** Bytes needed before the buffered frame is complete (4 while the length is unknown). */
  private needed(): number {
    if (this.buffered < 4) return 4;
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const len = head.readInt32BE(0);
    // An invalid length must surface now, not after buffering it.
    return len < 0 || len > this.maxFrame ? 0 : 4 + len;
  }

  get pendingBytes(): number {
    return this.buffered;
  }
}

/** Writes the 4-byte length prefix in front of a body, for hand-built frames (tests, pings). */
export function frameOf(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}
