import { RpcClient, RpcServer, Service, type ServerTransportName } from '@paddock/rpc';
import type { EchoDriver, EchoSystem, Payload } from './system.js';

/** The bench's contract: one method, what comes in goes back. */
abstract class BenchEcho {
  abstract echo(payload: Payload): Promise<Payload>;
}
Service({ name: 'BenchEcho', version: '1.0.0', methods: ['echo'] })(BenchEcho);

class BenchEchoImpl extends BenchEcho {
  async echo(payload: Payload): Promise<Payload> {
    return payload;
  }
}

/** Generous: a call on a loaded 2-core machine must not fail the run. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * Our provider and consumer with their defaults (failover cluster, circuit breakers, trace ids,
 * deadlines), on one transport. One RpcClient with `connections` per provider address.
 */
export function paddockSystem(transport: ServerTransportName): EchoSystem {
  return {
    label: `paddock ${transport}`,
    payload: 'bytes',
    setupNote: 'our RpcClient with its defaults (failover cluster, circuit breakers, a trace id and a deadline per call; timeout 30 s)',
    connectionsNote: transport === 'tcp'
      ? 'one RpcClient with connections: N (calls round robin over N pipelined sockets)'
      : 'one RpcClient with connections: N (undici pool of at most N keep-alive HTTP/1.1 sockets, one request at a time each)',
    async serve(port) {
      const server = await RpcServer.start({ host: '127.0.0.1', port, transport });
      await server.export(new BenchEchoImpl());
    },
    async connect(port, connections): Promise<EchoDriver> {
      const client = new RpcClient({ connections, timeout: CALL_TIMEOUT_MS });
      const address = transport === 'http' ? `http://127.0.0.1:${port}` : `127.0.0.1:${port}`;
      const echo = client.refer(BenchEcho, { addresses: [address] });
      try {
        await echo.echo(Buffer.alloc(1));
      } catch (err) {
        await client.close();
        throw err;
      }
      return { callers: [{ call: (p) => echo.echo(p) }], close: () => client.close() };
    },
  };
}
