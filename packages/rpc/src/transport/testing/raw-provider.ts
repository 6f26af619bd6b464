import { createServer, type Server, type Socket } from 'node:net';

/**
 * A tcp "provider" on 127.0.0.1 that hands every connection to `onConnection`, for tests that
 * need a peer saying what no provider would. `close` destroys its connections and stops it.
 */
export async function rawProvider(onConnection: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
