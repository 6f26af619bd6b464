import { ManualClock, silentLogger, type Logger } from '@paddock/edges';
import type { Invocation } from '../../call/invocation.js';
import { Heartbeat } from '../heartbeat.js';
import { TcpEndpoint } from '../tcp/tcp-endpoint.js';
import { resolveTcpOptions, type TcpOptions } from '../tcp/tcp-options.js';
import { TcpServerTransport } from '../tcp/tcp-server.js';
import type { CallHandler, IncomingCall } from '../transport.js';

/** A handler that keeps the calls it receives; tests answer them by hand (or set `auto`). */
export class HeldCalls implements CallHandler {
  readonly calls: IncomingCall[] = [];
  auto: ((call: IncomingCall) => void) | null = null;

  handle(call: IncomingCall): void {
    if (this.auto) this.auto(call);
    else this.calls.push(call);
  }
}

export function invocation(method: string, args: unknown[], deadline: number, service = 'Echo'): Invocation {
  return { service, method, args, attachments: { traceId: 't' }, deadline, idempotent: false };
}

export interface Pair {
  readonly server: TcpServerTransport;
  readonly endpoint: TcpEndpoint;
  readonly serverClock: ManualClock;
  readonly clientClock: ManualClock;
  close(): Promise<void>;
}

/** A tcp server transport and a consumer endpoint to it on 127.0.0.1, each on its own manual clock; both log to `logger` (default silent). */
export async function tcpPair(handler: CallHandler, o: { server?: TcpOptions; client?: TcpOptions; logger?: Logger } = {}): Promise<Pair> {
  const serverClock = new ManualClock(Date.now());
  const clientClock = new ManualClock(Date.now());
  const logger = o.logger ?? silentLogger;
  const server = new TcpServerTransport({ host: '127.0.0.1', port: 0, tcp: resolveTcpOptions(o.server), clock: serverClock, logger, exposeStack: false });
  await server.listen(handler);
  const tcp = resolveTcpOptions(o.client);
  const heartbeat = new Heartbeat(clientClock, tcp.heartbeatMs, tcp.heartbeatMisses);
  const endpoint = new TcpEndpoint(`127.0.0.1:${server.port}`, { host: '127.0.0.1', port: server.port }, { tcp, clock: clientClock, logger, heartbeat, random: () => 0.5 });
  await endpoint.ready();
  return {
    server,
    endpoint,
    serverClock,
    clientClock,
    close: async () => {
      endpoint.close();
      await server.close();
    },
  };
}
