import { createServer } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordClient } from '@paddock/coord-client';
import { startPaddock } from '../support/paddock.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { fourLetter } from '../support/zookeeper.js';
import { command, http, keyedLines, populate } from './ops-support.js';

type Paddock = Awaited<ReturnType<typeof startPaddock>>;

/** ZooKeeper 3.8's admin commands and their aliases. */
const COMMANDS: Record<string, string[]> = {
  configuration: ['conf', 'config'], connection_stat_reset: ['crst'], connections: ['cons'], dirs: [], dump: [],
  environment: ['env', 'envi'], get_trace_mask: ['gtmk'], hash: [], initial_configuration: ['icfg'],
  is_read_only: ['isro'], last_snapshot: ['lsnp'], leader: ['lead'], monitor: ['mntr'],
  observer_connection_stat_reset: ['orst'], observers: ['obsr'], ruok: [], server_stats: ['srvr'],
  set_trace_mask: ['stmk'], stat_reset: ['srst'], stats: ['stat'], system_properties: ['sysp'], voting_view: [],
  watch_summary: ['wchs'], watches: ['wchc'], watches_by_path: ['wchp'], zabstate: [],
};

/**
 * A strict reading of the Prometheus text format 0.0.4: HELP and TYPE comments, then samples
 * `name value`. Returns the samples; throws on any line that is not valid.
 */
describe('AdminServer', () => {
  let p: Paddock;
  let admin: number;
  let client: CoordClient;

  beforeAll(async () => {
    p = await startPaddock({ adminEnabled: true, adminPort: 0 });
    admin = p.server.adminPort!;
    client = await populate(p.connectString);
  });
  afterAll(async () => {
    await client?.close();
    await p?.stop();
  });

  it('binds a free port when asked for port 0 and says which', () => {
    expect(admin).toBeGreaterThan(0);
  });

  it('GET /commands links every command, as ZooKeeper\'s index page', async () => {
    const r = await http(admin, '/commands');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/html/);
    const names = [...r.text.matchAll(/<a href="\/commands\/([a-z_]+)">\1<\/a>/g)].map((m) => m[1]);
    expect(names).toEqual(Object.keys(COMMANDS).sort());
    expect((await http(admin, '/commands/')).text).toBe(r.text);
  });

  it('reports sessions, watches and ephemerals with exact 64-bit session ids', async () => {
    const sid = client.sessionId.toString();
    const watches = await http(admin, '/commands/watches');
    expect(watches.text).toContain(`"session_id_to_watched_paths":{"${sid}":["/a"]}`);
    expect((await http(admin, '/commands/watches_by_path')).text).toContain(`"path_to_session_ids":{"/a":[${sid}]}`);
    expect((await command(admin, 'watch_summary')).body).toMatchObject({ num_connections: 1, num_paths: 1, num_total_watches: 1 });
    const dump = await http(admin, '/commands/dump');
    expect(dump.text).toMatch(new RegExp(`"expiry_time_to_session_ids":\\{"\\d+":\\[${sid}\\]\\}`));
    expect(dump.text).toContain(`"session_id_to_ephemeral_paths":{"${sid}":["/e"]}`);
    const cons = await http(admin, '/commands/connections');
    expect(cons.text).toContain(`"session_id":${sid},"last_operation":"GETC"`);
  });

  it('stats and server_stats carry ZooKeeper\'s fields', async () => {
    const { body } = await command(admin, 'stats');
    expect(Object.keys(body)).toEqual(['version', 'read_only', 'server_stats', 'client_response', 'node_count', 'connections', 'secure_connections', 'command', 'error']);
    expect(body.server_stats).toMatchObject({ server_state: 'standalone', last_processed_zxid: p.server.pipeline.zxid, num_alive_client_connections: 1 });
    expect(body.connections).toEqual([expect.objectContaining({ interest_ops: 1, outstanding_requests: 0, packets_received: 5, packets_sent: 5 })]);
    expect(Object.keys((await command(admin, 'server_stats')).body)).toEqual(['version', 'read_only', 'server_stats', 'client_response', 'node_count', 'command', 'error']);
  });

  it('monitor and mntr read one table: same keys, same order, same values', async () => {
    const { body } = await command(admin, 'monitor');
    const mntr = keyedLines(await fourLetter(p.port, 'mntr'), '\t');
    const keys = Object.keys(body).filter((k) => k !== 'command' && k !== 'error');
    expect(keys).toEqual(mntr.map(([k]) => k.slice('zk_'.length)));
    for (const k of ['znode_count', 'ephemerals_count', 'watch_count', 'global_sessions', 'approximate_data_size']) {
      expect(String(body[k]), k).toBe(mntr.find(([m]) => m === `zk_${k}`)![1]);
    }
  });

  it('set_trace_mask changes what get_trace_mask and gtmk report', async () => {
    expect((await command(admin, 'set_trace_mask?traceMask=42')).body).toEqual({ tracemask: 42, command: 'set_trace_mask', error: null });
    expect((await command(admin, 'gtmk')).body.tracemask).toBe(42);
    expect(await fourLetter(p.port, 'gtmk')).toBe('42');
    expect((await command(admin, 'set_trace_mask?traceMask=abc')).body.error).toBe('setTraceMask requires long traceMask argument');
  });

  it('last_snapshot names the newest snapshot file; dirs sums the files', async () => {
    await p.server.persistence.snapshotNow();
    const zxid = p.server.pipeline.zxid;
    const { body } = await command(admin, 'last_snapshot');
    const file = join(p.dataDir, 'paddock-v1', `snapshot.${zxid.toString(16)}`);
    expect(body).toEqual({ zxid: zxid.toString(16), timestamp: Math.floor(statSync(file).mtimeMs / 1000), command: 'last_snapshot', error: null });
    const dirs = (await command(admin, 'dirs')).body;
    expect(dirs.datadir_size).toBe(dirs.logdir_size);
    expect(await fourLetter(p.port, 'dirs')).toBe(`datadir_size: ${dirs.datadir_size}\nlogdir_size: ${dirs.logdir_size}\n`);
  });

  it('initial_configuration renders the options as zoo.cfg, without the super digest', async () => {
    const { body } = await command(admin, 'initial_configuration');
    const text = body.initial_configuration as string;
    expect(text).toContain(`clientPort=${p.port}\n`);
    expect(text).toContain('admin.enableServer=true\n');
    expect(text).not.toMatch(/digest/i);
  });

  // Runs the resets too: later tests must not depend on earlier counts.
  it('runs every command by name and alias: 200, JSON, its own name, error null', async () => {
    const failing: Record<string, string> = { leader: 'server is not initialized', set_trace_mask: 'setTraceMask requires long traceMask argument' };
    for (const [name, aliases] of Object.entries(COMMANDS)) {
      for (const asked of [name, ...aliases]) {
        const r = await http(admin, `/commands/${asked}`);
        expect(r.status, asked).toBe(200);
        expect(r.type, asked).toMatch(/^application\/json/);
        const body = JSON.parse(r.text) as Record<string, unknown>;
        expect(body.command, asked).toBe(name);
        expect(body.error, asked).toBe(failing[name] ?? null);
      }
    }
  });

  it('stat_reset and connection_stat_reset reset what srst and crst reset', async () => {
    await client.exists('/a');
    await command(admin, 'stat_reset');
    const stats = (await command(admin, 'server_stats')).body.server_stats as Record<string, unknown>;
    expect(stats).toMatchObject({ packets_received: 0, packets_sent: 0, avg_latency: 0, max_latency: 0, min_latency: 0 });
    await command(admin, 'connection_stat_reset');
    const [conn] = (await command(admin, 'connections')).body.connections as Record<string, unknown>[];
    expect(conn).toMatchObject({ packets_received: 0, packets_sent: 0, last_operation: 'NA', last_cxid: -1, last_zxid: -1, last_latency: 0 });
  });

  it('GET /metrics is Prometheus text with ZooKeeper\'s metric names', async () => {
    const r = await http(admin, '/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(r.text);
    for (const k of ['znode_count', 'ephemerals_count', 'watch_count', 'num_alive_connections', 'outstanding_requests',
      'avg_latency', 'min_latency', 'max_latency', 'packets_received', 'packets_sent', 'approximate_data_size', 'uptime']) {
      expect(families.has(k), k).toBe(true);
    }
    expect(sampleValue(families.get('znode_count'), 'znode_count')).toBe(p.server.pipeline.tree.size);
    expect(sampleValue(families.get('ephemerals_count'), 'ephemerals_count')).toBe(1);
  });

  it('answers an unknown command with 404 and ZooKeeper\'s error body', async () => {
    for (const name of ['nonexistent', 'RUOK', 'stat/extra', 'digest']) {
      const r = await http(admin, `/commands/${name}`);
      expect(r.status, name).toBe(404);
      expect(JSON.parse(r.text), name).toEqual({ command: name, error: `Unknown command: ${name}` });
    }
    const other = await http(admin, '/nowhere');
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text).error).toMatch(/^Not found: GET \/nowhere; see \/commands/);
  });

  it('refuses other methods with 405, an Allow header and a JSON error', async () => {
    for (const [method, path] of [['POST', '/commands/ruok'], ['PUT', '/commands/stats'], ['DELETE', '/commands'], ['POST', '/metrics'], ['PATCH', '/commands/nope']]) {
      const r = await http(admin, path!, method);
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.allow).toBe('GET, HEAD');
      expect(JSON.parse(r.text)).toEqual({ error: `HTTP method ${method} is not supported by this URL` });
    }
    const head = await http(admin, '/commands/ruok', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('AdminServer lifecycle', () => {
  it('is off unless enabled', async () => {
    const p = await startPaddock();
    try {
      expect(p.server.adminPort).toBeNull();
    } finally {
      await p.stop();
    }
  });

  it('a busy admin port leaves the coordination server serving without it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const p = await startPaddock({ adminEnabled: true, adminPort: port });
    try {
      expect(p.server.adminPort).toBeNull();
      expect(await fourLetter(p.port, 'ruok')).toBe('imok');
    } finally {
      await p.stop();
      await new Promise((r) => blocker.close(r));
    }
  });

  it('stops listening when the server closes', async () => {
    const p = await startPaddock({ adminEnabled: true, adminPort: 0 });
    const admin = p.server.adminPort!;
    expect((await http(admin, '/commands/ruok')).status).toBe(200);
    await p.stop();
    await expect(http(admin, '/commands/ruok')).rejects.toThrow();
  });
});
