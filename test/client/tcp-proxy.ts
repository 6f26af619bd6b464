import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy between a client and one server, with switches a test flips to fake
 * network faults: `cut()` resets every connection, `blackhole()` keeps connections open but
 * silently drops bytes both ways, `hold()` keeps them open and queues bytes until `restore()`,
 * `refuse()` closes new connections at once.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: 'forward' | 'blackhole' | 'hold' | 'refuse' = 'forward';
  /** Bytes held back in hold mode, flushed in order by restore(). */
  private held: [Socket, Buffer][] = [];

  private constructor(private readonly server: Server, readonly port: number, private readonly target: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const proxy = new TcpProxy(server, typeof addr === 'object' && addr ? addr.port : 0, targetPort);
    server.on('connection', (s) => proxy.accept(s));
    return proxy;
  }

  get connectString(): string {
    return `127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.pairs.size;
  }

  private accept(client: Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(this.target, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (this.mode === 'forward') to.write(chunk);
        else if (this.mode === 'hold') this.held.push([to, chunk]);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }

  /** Resets every open connection (both sides see the connection drop). */
  cut(): void {
    this.held = [];
    for (const [a, b] of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  blackhole(): void {
    this.mode = 'blackhole';
  }

  hold(): void {
    this.mode = 'hold';
  }

  refuse(): void {
    this.mode = 'refuse';
  }

  restore(): void {
    this.mode = 'forward';
    for (const [to, chunk] of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
