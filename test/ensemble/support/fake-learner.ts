import { connect, type Socket } from 'node:net';
import {
  QuorumPacketDecoder, encodeQuorumPacket, encodeSnapshotSection, type QuorumInput, type QuorumPacket,
} from '../../../packages/coord-server/src/quorum/wire/quorum-packet.js';
import { PacketType, packetTypeName } from '../../../packages/coord-server/src/quorum/wire/packet-types.js';
import { FROM_LEARNER, payloadCodec, type SessionTouch } from '../../../packages/coord-server/src/quorum/wire/zab-payloads.js';

/** Bound on what one learner keeps of a run (inputs and raw bytes), so a runaway leader cannot fill memory. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/**
 * A learner made of our codecs alone, dialing a real leader's quorum port. It records every
 * byte and every decoded input; `next` hands the inputs out in order with a bounded wait. Once
 * `answerPings` is on (only after the NEWLEADER ACK: ZooKeeper's leader reads nothing but that
 * ACK before then) it answers each PING at once with the given session touches, as a learner's
 * main loop does, and keeps those PINGs out of `next`.
 */
export class FakeLearner {
  readonly inputs: QuorumInput[] = [];
  private readonly raw: Buffer[] = [];
  private rawBytes = 0;
  private readonly decoder = new QuorumPacketDecoder('learner');
  private delivered = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;
  answerPings = false;
  touches: SessionTouch[] = [];
  pingsAnswered = 0;
  /** The last PING answered: its zxid is the leader's last proposed zxid. */
  lastPing: QuorumPacket | null = null;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk) => this.receive(chunk));
    sock.on('error', (err) => this.fail(err));
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number, timeoutMs = 5000): Promise<FakeLearner> {
    return new Promise((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`quorum port ${port}: no connection within ${timeoutMs} ms`)); }, timeoutMs);
      sock.once('error', (err) => { clearTimeout(timer); reject(err); });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        sock.setNoDelay(true);
        resolve(new FakeLearner(sock));
      });
    });
  }

  private receive(chunk: Buffer): void {
    this.raw.push(chunk);
    this.rawBytes += chunk.length;
    if (this.rawBytes > MAX_KEPT_BYTES) return this.fail(new Error(`fake learner kept over ${MAX_KEPT_BYTES} bytes`));
    try {
      for (const input of this.decoder.push(chunk)) {
        this.inputs.push(input);
        if (this.answerPings && input.kind === 'packet' && input.packet.type === PacketType.PING) this.answerPing(input.packet);
      }
    } catch (err) {
      this.fail(err as Error);
    }
    this.wake();
  }

  private answerPing(ping: QuorumPacket): void {
    // ZooKeeper's learner echoes type, zxid and authinfo, and puts its touches in the data.
    this.send({ type: ping.type, zxid: ping.zxid, data: FROM_LEARNER.PING.encode(this.touches), authinfo: ping.authinfo });
    this.pingsAnswered += 1;
    this.lastPing = ping;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.sock.destroy();
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  send(p: QuorumPacket): void {
    this.sock.write(encodeQuorumPacket(p));
  }

  private isAnsweredPing(input: QuorumInput): boolean {
    return this.answerPings && input.kind === 'packet' && input.packet.type === PacketType.PING;
  }

  /** The next input not yet handed out (answered PINGs skipped), waiting at most `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<QuorumInput> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      while (this.delivered < this.inputs.length) {
        const input = this.inputs[this.delivered++]!;
        if (!this.isAnsweredPing(input)) return input;
      }
      if (this.failure) throw this.failure;
      if (this.closed) throw new Error('the leader closed the quorum connection');
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no packet from the leader within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  /** The next packet, which must be of type `name`; any other fails, naming what came. */
  async expect(name: keyof typeof PacketType, timeoutMs = 10_000): Promise<QuorumPacket> {
    const input = await this.next(timeoutMs);
    const got = input.kind === 'packet' ? packetTypeName(input.packet.type) : 'snapshot bytes';
    if (input.kind !== 'packet' || input.packet.type !== PacketType[name]) throw new Error(`expected ${name} from the leader, got ${got}`);
    return input.packet;
  }

  /** Skips packets (none may be a snapshot) until one of type `name`; returns it and what it skipped. */
  async until(name: keyof typeof PacketType, timeoutMs = 10_000): Promise<{ packet: QuorumPacket; skipped: QuorumPacket[] }> {
    const until = Date.now() + timeoutMs;
    const skipped: QuorumPacket[] = [];
    for (;;) {
      const input = await this.next(Math.max(1, until - Date.now()));
      if (input.kind !== 'packet') throw new Error(`unexpected snapshot while waiting for ${name}`);
      if (input.packet.type === PacketType[name]) return { packet: input.packet, skipped };
      skipped.push(input.packet);
    }
  }

  /** Waits until `n` PINGs in all have been answered. */
  async pings(n: number, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.pingsAnswered < n) {
      if (this.failure) throw this.failure;
      if (this.closed) throw new Error('the leader closed the quorum connection');
      if (Date.now() >= until) throw new Error(`only ${this.pingsAnswered} of ${n} PINGs within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, until - Date.now());
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  /**
   * Proves the codecs on everything received so far: each input re-encodes to exactly the
   * bytes it came from, and each packet's data decodes with the leader's payload codec and
   * encodes back to the same bytes. Returns how many packets of each type were checked.
   */
  checkRoundTrip(): Map<string, number> {
    const raw = Buffer.concat(this.raw, this.rawBytes);
    const kinds = new Map<string, number>();
    let at = 0;
    for (const input of this.inputs) {
      const bytes = input.kind === 'packet' ? encodeQuorumPacket(input.packet) : encodeSnapshotSection(input.snapshot);
      const from = raw.subarray(at, at + bytes.length);
      if (!from.equals(bytes)) throw new Error(`input at byte ${at} (${describe(input)}) re-encodes differently`);
      at += bytes.length;
      const name = describe(input);
      kinds.set(name, (kinds.get(name) ?? 0) + 1);
      if (input.kind !== 'packet') continue;
      const codec = payloadCodec('leader', input.packet.type);
      const again = codec.encode(codec.decode(input.packet.data));
      const same = again === null ? input.packet.data === null : input.packet.data !== null && again.equals(input.packet.data);
      if (!same) throw new Error(`${name} data at byte ${at} re-encodes differently`);
    }
    if (at + this.decoder.pendingBytes !== raw.length) throw new Error(`${raw.length - at} bytes received but not decoded`);
    return kinds;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.sock.once('close', () => resolve());
      this.sock.destroy();
    });
  }
}

function describe(input: QuorumInput): string {
  return input.kind === 'packet' ? packetTypeName(input.packet.type) : 'snapshot';
}
