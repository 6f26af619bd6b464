import { fastify, type FastifyInstance } from 'fastify';
import { consoleMount, registerConsole } from '@paddock/console';
import { startPaddock } from '../support/paddock.js';

/** The console's token in these tests (at least 16 characters, as the console requires). */
export const TOKEN = 'console-test-token-0123456789';

export interface RunningConsole {
  /** http://127.0.0.1:<port>/console */
  readonly url: string;
  /** Where the coordination service listens. */
  readonly connectString: string;
  stop(): Promise<void>;
}

/** Paddock's coord-server with the console mounted on its AdminServer, as its bin does. */
export async function consoleOnPaddock(): Promise<RunningConsole> {
  const peer = await startPaddock({ adminEnabled: true, adminPort: 0, adminMounts: [consoleMount({ token: TOKEN })] });
  return { url: `http://127.0.0.1:${peer.server.adminPort}/console`, connectString: peer.connectString, stop: () => peer.stop() };
}

/** The standalone console (what paddock-console serves) in front of any server. */
export async function standaloneConsole(connectString: string): Promise<RunningConsole> {
  const app: FastifyInstance = fastify();
  const handle = registerConsole(app, { connectString, token: TOKEN });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/console`,
    connectString,
    async stop() {
      await handle.close();
      await app.close();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** One API request; `headers` as a browser or curl would send them. */
export async function call(c: RunningConsole, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${c.url}/api${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export const bearer = { authorization: `Bearer ${TOKEN}` };
