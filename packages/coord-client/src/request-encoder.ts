import { JuteWriter, codec } from '@paddock/coord-protocol';

/** One encode buffer is reused; after a big frame it is dropped so a single large write is not kept. */
const WRITER_KEEP_BYTES = 256 * 1024;
const requestHeader = codec('RequestHeader');

/**
 * Numbers and encodes requests. Xids increase in send order (the server answers in that
 * order) and wrap before going negative, where the reserved xids live.
 */
export class RequestEncoder {
  private writer = new JuteWriter();
  private xid = 0;

  nextXid(): number {
    this.xid = this.xid >= 0x7fffffff ? 1 : this.xid + 1;
    return this.xid;
  }

  /** A whole length-prefixed frame: RequestHeader, then the body `write` appends. */
  encode(xid: number, op: number, write: ((w: JuteWriter) => void) | null): Buffer {
    const w = this.writer.reset();
    const at = w.beginFrame();
    requestHeader.encode(w, { xid, type: op });
    write?.(w);
    w.endFrame(at);
    const frame = w.take();
    if (w.buf.length > WRITER_KEEP_BYTES) this.writer = new JuteWriter();
    return frame;
  }
}
