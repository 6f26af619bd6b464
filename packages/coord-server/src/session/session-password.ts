/**
 * ZooKeeper never stores a session's password: it derives it from the session id
 * (ZooKeeperServer.generatePasswd: java.util.Random seeded with `id ^ 0xB3415C00`, then
 * nextBytes) and checks a reconnect by deriving it again. Any server of an ensemble can so
 * check a session another server created, and a snapshot carries only ids and timeouts.
 * Paddock servers in a mixed ensemble must derive the very same bytes.
 *
 * It lives in session/ rather than quorum/: the handshake and the txn codecs both need it.
 */

/** ZooKeeperServer.superSecret. It is public in ZooKeeper's source: the password is no secret. */
const SUPER_SECRET = 0xb3415c00n;
/** java.util.Random's LCG, as its Javadoc specifies it: 48-bit state, multiplier and addend. */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK_48 = (1n << 48n) - 1n;
/** The length ZooKeeper's own checkPasswd compares against. */
const PASSWORD_LENGTH = 16;
/** A bound on what a caller may ask for: a client's passwd field is at most this long in practice. */
const MAX_LENGTH = 4096;

/** java.util.Random: the few methods nextBytes needs, with the state kept exact in a BigInt. */
class JavaRandom {
  private seed: bigint;

  constructor(seed: bigint) {
    this.seed = (BigInt.asUintN(64, seed) ^ MULTIPLIER) & MASK_48;
  }

  /** next(32): the top 32 of the 48 state bits, as Java's signed int. */
  nextInt(): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK_48;
    return Number(this.seed >> 16n) | 0;
  }

  /** Each int fills four bytes, lowest byte first; a short tail uses the low bytes of a fresh int. */
  nextBytes(out: Buffer): void {
    let i = 0;
    while (i < out.length) {
      let rnd = this.nextInt();
      for (let n = Math.min(out.length - i, 4); n > 0; n--) {
        out[i++] = rnd & 0xff;
        rnd >>= 8;
      }
    }
  }
}

/**
 * The password ZooKeeper gives session `id`. ZooKeeper fills the passwd buffer the client sent
 * at connect, so a client sending an odd length gets that many bytes; 16 is what every
 * client sends and what ZooKeeper checks reconnects against.
 */
export function sessionPassword(id: bigint, length = PASSWORD_LENGTH): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_LENGTH) {
    throw new RangeError(`session password length ${length} is not an integer in 0..${MAX_LENGTH}`);
  }
  const out = Buffer.alloc(length);
  new JavaRandom(id ^ SUPER_SECRET).nextBytes(out);
  return out;
}

/** ZooKeeperServer.checkPasswd: session 0 never matches; otherwise the 16 derived bytes must. */
export function checkSessionPassword(id: bigint, passwd: Uint8Array | null): boolean {
  return id !== 0n && passwd !== null && sessionPassword(id).equals(passwd);
}
