/** Raised when the peer's byte stream cannot be split into frames: the connection is unusable. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/**
 * Splits a TCP byte stream into ZooKeeper frames (a 4-byte big-endian length, then that many
 * bytes). Chunks may end anywhere, even inside the length prefix. A frame longer than
 * `maxFrameBytes` (jute.maxbuffer) or with a negative length is a FrameError, as in
 * ZooKeeper's ClientCnxnSocket.readLength.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being assembled, or -1 while its prefix is incomplete. */
  private need = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buffered;
  }

  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let data = chunk;
    if (this.buffered > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < 4 || (this.need >= 0 && this.buffered < this.need + 4)) return;
      data = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
    }
    let at = 0;
    while (data.length - at >= 4) {
      const len = data.readInt32BE(at);
      if (len < 0 || len > this.maxFrameBytes) {
        throw new FrameError(`frame length ${len} outside 0..${this.maxFrameBytes} (jute.maxbuffer)`);
      }
      if (data.length - at - 4 < len) {
        this.need = len;
        break;
      }
      onFrame(data.subarray(at + 4, at + 4 + len));
      at += 4 + len;
      this.need = -1;
    }
    if (at < data.length) {
      // Keep a copy: the caller may reuse the chunk's memory once push returns.
      const rest = Buffer.from(data.subarray(at));
      this.chunks.push(rest);
      this.buffered = rest.length;
      if (this.buffered < 4) this.need = -1;
    }
  }
}

/** Writes the 4-byte length prefix in front of a body, for hand-built frames (tests, pings). */
export function frameOf(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}
