import moleculer from 'moleculer';
import type { EchoCaller, EchoDriver, EchoSystem, Payload } from './system.js';

const SERVER_NODE = 'bench-echo-server';
/** Caller node ids are never reused: the server may still remember a stopped node of the same id. */
let callerGeneration = 0;
const CALL_TIMEOUT_MS = 30_000;

/**
 * A broker on Moleculer's TCP transporter with static URLs and UDP discovery off, so nothing
 * leaves loopback (its listener binds every interface: the transporter has no host option, but
 * only loopback addresses are ever given out); no logger, metrics or tracing. `urls` names the
 * server; a caller's own listener port is random.
 */
function broker(nodeID: string, port: number | null, urls: string[] | null): moleculer.ServiceBroker {
  const b = new moleculer.ServiceBroker({
    nodeID,
    namespace: 'paddock-bench',
    transporter: { type: 'TCP', options: { udpDiscovery: false, port, urls, useHostname: false } },
    logger: false,
    metrics: false,
    tracing: false,
    requestTimeout: CALL_TIMEOUT_MS,
  });
  // A node announces the addresses of every interface, and nodes that learn of each other by
  // gossip connect to the first; announce loopback only, so no socket goes to another address.
  const local = (b.registry as unknown as { nodes: { localNode: { ipList: string[]; hostname: string } } }).nodes.localNode;
  local.ipList = ['127.0.0.1'];
  local.hostname = '127.0.0.1';
  return b;
}

/**
 * Moleculer 0.14 request/reply through its TCP transporter, JSON serializer (its default; it has
 * no binary payload, so the 100 bytes travel as a 100-character ASCII string). Moleculer keeps
 * one connection per ordered pair of nodes, so N connections = N caller brokers in this process.
 */
export const moleculerSystem: EchoSystem = {
  label: 'moleculer tcp',
  payload: 'text',
  setupNote: 'broker.call with its defaults (round-robin strategy, no circuit breaker, no retries), requestTimeout 30 s; JSON serializer; nodes announce only 127.0.0.1 and the listener (no host option) binds every interface',
  connectionsNote: 'N caller brokers (one node each); Moleculer sends a request on the caller\'s socket to the server and the reply on the server\'s socket back, so each "connection" is a pair of one-way sockets (the callers also gossip with each other over loopback)',
  async serve(port) {
    const server = broker(SERVER_NODE, port, null);
    server.createService({ name: 'echo', actions: { echo: (ctx: moleculer.Context<Payload>) => ctx.params } });
    await server.start();
  },
  async connect(port, connections): Promise<EchoDriver> {
    const generation = ++callerGeneration;
    const brokers = Array.from({ length: connections }, (_, i) => broker(`bench-caller-${process.pid}-${generation}-${i}`, 0, [`127.0.0.1:${port}/${SERVER_NODE}`]));
    const close = async (): Promise<void> => {
      await Promise.all(brokers.map((b) => b.stop()));
    };
    try {
      await Promise.all(brokers.map((b) => b.start()));
      await Promise.all(brokers.map((b) => b.waitForServices(['echo'], 30_000)));
      const callers: EchoCaller[] = brokers.map((b) => ({ call: (p: Payload) => b.call('echo.echo', p) as Promise<Payload> }));
      await Promise.all(callers.map((c) => c.call('x')));
      return { callers, close };
    } catch (err) {
      await close();
      throw err;
    }
  },
};
