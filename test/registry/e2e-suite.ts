import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type ProviderInstance, type Subscription } from '@paddock/registry';
import type { RestartablePeer } from '../../bench/support/peer-server.js';
import { ChildScript, type ScriptMessage } from './child-script.js';
import { ListRecorder, WAIT_MS } from './registry-waiting.js';

/** The servers run with tickTime 200 and sessions of 2 s (10 ticks), so expiry tests are short. */
export const E2E_TICK_MS = 200;
const SESSION_MS = 2000;
/**
 * Sessions of the restart tests: the longest the servers allow at this tick (20 ticks), so a
 * client on a loaded machine still reconnects in time after the server comes back.
 */
const RESTART_SESSION_MS = 4000;
/**
 * Bound on waiting for an expiry to show: the session timeout plus a tick is when the server
 * expires a silent session; the rest is room for a loaded machine. A bound, not a measurement.
 */
const EXPIRY_BOUND_MS = SESSION_MS + E2E_TICK_MS + 8000;

const ports = (list: readonly { port: number }[]): number[] => list.map((p) => p.port).sort((a, b) => a - b);

/**
 * End-to-end: the coordination server in a child process (ours or ZooKeeper), providers in
 * child processes running the built packages, the consumer here. Latencies are measured and
 * printed, never asserted; what is asserted is what happened and in which order.
 */
export function e2eSuite(name: string, start: () => Promise<RestartablePeer>): void {
  let server: RestartablePeer | undefined;
  const children: ChildScript[] = [];
  const registries: Registry[] = [];
  const tmpDirs: string[] = [];
  const measured: string[] = [];
  let counter = 0;
  let root = '';

  beforeAll(async () => {
    server = await start();
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await Promise.all(registries.splice(0).map((r) => r.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
    if (measured.length) console.log(`[registry e2e, ${name}] measured (not asserted):\n  ${measured.join('\n  ')}`);
  });

  const peer = (): RestartablePeer => {
    if (!server) throw new Error('server not started');
    return server;
  };
  const freshRoot = (): string => (root = `/e2e${++counter}-${process.pid}/services`);
  const instance = (port: number): ProviderInstance => ({ service: 'Greeter', protocol: 'tcp', host: '127.0.0.1', port, version: '1.2.0' });
  const provider = async (port: number, sessionTimeout = SESSION_MS): Promise<ChildScript> => {
    const child = ChildScript.start(`provider ${port}`, 'provider.mjs', {
      connectString: peer().connectString, root, sessionTimeout, instances: [instance(port)],
    });
    children.push(child);
    await child.event('registered');
    return child;
  };
  const consumer = async (sessionTimeout = SESSION_MS): Promise<{ sub: Subscription; rec: ListRecorder }> => {
    const registry = await Registry.connect(peer().connectString, {
      sessionTimeout, root, reconnect: { baseDelayMs: 50, maxDelayMs: 500 },
    });
    registries.push(registry);
    const sub = await registry.discover('Greeter');
    return { sub, rec: new ListRecorder(sub) };
  };
  /** Sends a command and returns the index its answers start at. */
  const command = (child: ChildScript, cmd: string): number => {
    const from = child.messages.length;
    child.send(cmd);
    return from;
  };

  describe('providers in child processes', () => {
    it('register and are seen by a consumer; unregister, close and SIGKILL remove them', async () => {
      freshRoot();
      const [a, b, c] = await Promise.all([provider(20001), provider(20002), provider(20003)]);
      const { rec } = await consumer();
      await rec.untilPorts([20001, 20002, 20003]);

      // Graceful unregister: the node goes while the provider's session lives on.
      let sentAt = Date.now();
      let from = command(a!, 'unregister');
      await rec.untilPorts([20002, 20003]);
      measured.push(`unregister -> consumer sees removal: ${Date.now() - sentAt} ms`);
      await a!.event('unregistered', from);
      from = command(a!, 'ping');
      const pong = await a!.event('pong', from);
      expect(pong).toMatchObject({ state: 'connected', generation: 1 });

      // Graceful close: the session ends at once, and its nodes with it.
      sentAt = Date.now();
      command(c!, 'close');
      await rec.untilPorts([20002]);
      measured.push(`close -> consumer sees removal: ${Date.now() - sentAt} ms`);

      // SIGKILL: nobody says goodbye; the server expires the session after its timeout.
      const killedAt = Date.now();
      b!.signal('SIGKILL');
      await rec.untilPorts([], EXPIRY_BOUND_MS);
      measured.push(`SIGKILL -> consumer sees removal: ${Date.now() - killedAt} ms (session timeout ${SESSION_MS} ms, tick ${E2E_TICK_MS} ms)`);
      expect(rec.lists.map(ports)).toEqual([[20002, 20003], [20002], []]);
    });
  });

  describe('restarting the coordination server', () => {
    it('consumers keep the last good list while it is down and recover; providers stay registered', async () => {
      freshRoot();
      const [a, b] = await Promise.all([provider(20001, RESTART_SESSION_MS), provider(20002, RESTART_SESSION_MS)]);
      const { sub, rec } = await consumer(RESTART_SESSION_MS);
      await rec.untilPorts([20001, 20002]);
      const marks = [a!, b!].map((p) => p.messages.length);
      const listsBefore = rec.lists.length;
      await peer().restart({
        whileDown: async () => {
          await rec.untilStatus('stale');
          for (const [i, p] of [a!, b!].entries()) {
            await p.next('disconnected', (m) => m.event === 'state' && m.state === 'disconnected', marks[i]);
          }
          // Empty protection: everyone has seen the server go, and the consumer published nothing.
          expect(rec.lists.length).toBe(listsBefore);
          expect(ports(sub.providers)).toEqual([20001, 20002]);
        },
      });
      const upAt = Date.now();
      await rec.untilStatus('live', EXPIRY_BOUND_MS);
      await rec.untilPorts([20001, 20002], EXPIRY_BOUND_MS);
      measured.push(`server restart (SIGKILL) -> consumer live again: ${Date.now() - upAt} ms after the server served again`);
      // Each provider is connected again: its session resumed (or, had it expired, a new one with its node).
      for (const [i, p] of [a!, b!].entries()) {
        await p.next('connected again', (m) => m.event === 'state' && m.state === 'connected', marks[i]);
        const pong = await p.event('pong', command(p, 'ping'));
        measured.push(`server restart: provider ${i + 1} session generation afterwards ${String(pong.generation)}`);
      }
      await rec.untilPorts([20001, 20002], EXPIRY_BOUND_MS);
    });

    it('a provider frozen through a restart loses its session, then registers again in a new one', async () => {
      freshRoot();
      const [a] = await Promise.all([provider(20001), provider(20002)]);
      const { rec } = await consumer();
      await rec.untilPorts([20001, 20002]);
      a!.signal('SIGSTOP');
      await peer().restart();
      // Its session cannot be resumed by a stopped process: the server expires it, the node goes.
      await rec.untilPorts([20002], EXPIRY_BOUND_MS);
      const from = a!.messages.length;
      const thawedAt = Date.now();
      a!.signal('SIGCONT');
      const session = await a!.next('a new session', (m: ScriptMessage) => m.event === 'session', from);
      expect(session.generation).toBe(2);
      await rec.untilPorts([20001, 20002]);
      measured.push(`thawed provider (expired session) -> re-registered and seen: ${Date.now() - thawedAt} ms`);
      expect(rec.lists.map(ports)).toContainEqual([20002]);
    });

    it('a consumer restarted while the server is down finds the providers in its cache file', async () => {
      freshRoot();
      await provider(20001);
      const dir = mkdtempSync(join(tmpdir(), 'paddock-registry-e2e-'));
      tmpDirs.push(dir);
      const config = {
        connectString: peer().connectString, root, sessionTimeout: SESSION_MS, connectTimeout: 500,
        cacheFile: join(dir, 'cache.json'), service: 'Greeter',
      };
      const first = ChildScript.start('consumer 1', 'consumer.mjs', config);
      children.push(first);
      await first.next('a live list', (m) => m.event === 'list' && m.status === 'live' && String(m.ports) === '20001');
      first.send('close');
      await first.exited;
      let second: ChildScript | undefined;
      await peer().restart({
        whileDown: async () => {
          second = ChildScript.start('consumer 2', 'consumer.mjs', config);
          children.push(second);
          const list = await second.event('list', 0, WAIT_MS);
          expect(list).toMatchObject({ status: 'cached', ports: [20001] });
        },
      });
      await second!.next('live again', (m) => m.event === 'status' && m.status === 'live', 0, EXPIRY_BOUND_MS);
      expect(second!.messages.filter((m) => m.event === 'list').map((m) => m.ports)).toEqual([[20001]]);
    });
  });
}
