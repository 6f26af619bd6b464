/**
 * Adler-32 (RFC 1950), the checksum java.util.zip.Adler32 computes: ZooKeeper seals its
 * snapshot files and checks each txn log entry with it. node:zlib computes it internally but
 * does not expose it, so it is here, fed a chunk at a time as the file streams.
 */
const MOD = 65521;
/** Most bytes summed before reducing: the sums stay exact in a double (zlib's NMAX is for 32-bit ints). */
const BLOCK = 1 << 20;

export class Adler32 {
  private a = 1;
  private b = 0;

  update(buf: Uint8Array): this {
    let { a, b } = this;
    for (let start = 0; start < buf.length; start += BLOCK) {
      const end = Math.min(start + BLOCK, buf.length);
      for (let i = start; i < end; i++) {
        a += buf[i]!;
        b += a;
      }
      a %= MOD;
      b %= MOD;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** The checksum as Java's getValue(): an unsigned 32-bit value. */
  get value(): number {
    return this.b * 65536 + this.a;
  }
}
