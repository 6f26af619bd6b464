import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ECHO_PROTO } from './paths.js';
import type { EchoCaller, EchoDriver, EchoSystem, Payload } from './system.js';

interface EchoMessage {
  data: Buffer;
}

type EchoClient = grpc.Client & {
  Echo(message: EchoMessage, options: grpc.CallOptions, callback: grpc.requestCallback<EchoMessage>): grpc.ClientUnaryCall;
};

const CALL_TIMEOUT_MS = 30_000;

function echoService(): { service: grpc.ServiceDefinition; Client: new (address: string, creds: grpc.ChannelCredentials, options: grpc.ClientOptions) => EchoClient } {
  const definition = loadSync(ECHO_PROTO, { keepCase: true });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { paddock: { bench: { Echo: grpc.ServiceClientConstructor } } };
  const Echo = pkg.paddock.bench.Echo;
  return { service: Echo.service, Client: Echo as unknown as new (a: string, c: grpc.ChannelCredentials, o: grpc.ClientOptions) => EchoClient };
}

/** One channel's calls; the callback becomes a promise, as a caller of grpc-js writes it. */
class GrpcCaller implements EchoCaller {
  constructor(private readonly client: EchoClient) {}

  call(payload: Payload): Promise<Payload> {
    return new Promise((resolve, reject) => {
      this.client.Echo({ data: payload as Buffer }, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err, reply) => {
        if (err) reject(err);
        else resolve((reply as EchoMessage).data);
      });
    });
  }
}

/**
 * @grpc/grpc-js unary calls, the service loaded from echo.proto with @grpc/proto-loader,
 * insecure credentials on loopback. N connections = N clients, each with its own subchannel
 * pool so they do not share one HTTP/2 connection.
 */
export const grpcSystem: EchoSystem = {
  label: 'grpc-js unary',
  payload: 'bytes',
  setupNote: 'a generated client from proto-loader, a 30 s deadline per call, callback turned into a promise',
  connectionsNote: 'N grpc-js clients with grpc.use_local_subchannel_pool (one HTTP/2 connection each, calls round robin over them)',
  async serve(port) {
    const { service } = echoService();
    const server = new grpc.Server();
    server.addService(service, {
      Echo: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) => {
        callback(null, { data: call.request.data });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
    });
  },
  async connect(port, connections): Promise<EchoDriver> {
    const { Client } = echoService();
    const clients = Array.from({ length: connections }, () => new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }));
    const callers = clients.map((c) => new GrpcCaller(c));
    const close = async (): Promise<void> => {
      for (const c of clients) c.close();
    };
    try {
      // Connect every channel before measuring.
      await Promise.all(callers.map((c) => c.call(Buffer.alloc(1))));
    } catch (err) {
      await close();
      throw err;
    }
    return { callers, close };
  },
};
