import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild, waitUntilServing } from './four-letter.js';
import type { RestartOptions, RestartablePeer } from './peer-server.js';
import { freePort } from './ports.js';

const BIN_IN_REPO = 'packages/coord-server/bin/coord-server.js';

/**
 * The server's launcher (it needs `packages/coord-server/dist`, built by `tsc -b`). Found by
 * walking up from this file, which runs both from bench/support (vitest) and bench/dist/support.
 */
export function coordServerBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const bin = join(dir, BIN_IN_REPO);
    if (existsSync(bin)) return bin;
    dir = dirname(dir);
  }
  throw new Error(`${BIN_IN_REPO} not found above ${fileURLToPath(import.meta.url)}`);
}

export interface CoordServerProcessOptions {
  /** Node flags for the child, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/x']. */
  nodeArgs?: readonly string[];
  /** Extra server flags, e.g. ['--tick-time', '500']. */
  serverArgs?: readonly string[];
  /** zoo.cfg keys (e.g. forceSync: 'no'), written to a file in the data dir and passed as --config. */
  zooCfg?: Readonly<Record<string, string>>;
  /** PADDOCK_LOG_LEVEL for the child; default warn (per-request logging would skew a bench). */
  logLevel?: string;
  /** SIGTERM grace before SIGKILL; long enough for --cpu-prof to write its file. */
  stopGraceMs?: number;
  /** Use this data dir (kept on stop, so a later start recovers from it); default a fresh temp dir, deleted on stop. */
  dataDir?: string;
  /** Client port; default a free one. */
  port?: number;
  /** Bound on the start (recovering a big data dir takes a while); default 15 s. */
  startTimeoutMs?: number;
  /** Pause between `srvr` probes while waiting for the start; default 100 ms. */
  pollMs?: number;
}

/**
 * Starts our coordination server as a child process (`node .../coord-server.js --port P
 * --data-dir TMP`) on a free loopback port, so it does not share a thread with its caller.
 * `stop()` sends SIGTERM (the server closes and exits, flushing a --cpu-prof profile), waits,
 * kills after the grace period and deletes the data dir. `restart()` stops the process (SIGKILL
 * by default) and starts it again on the same port and data dir, which it recovers from.
 */
export async function startCoordServerProcess(opts: CoordServerProcessOptions = {}): Promise<RestartablePeer> {
  const bin = coordServerBin();
  const port = opts.port ?? await freePort();
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'paddock-coord-'));
  const stderr: string[] = [];
  const configArgs: string[] = [];
  if (opts.zooCfg) {
    const cfgPath = join(dataDir, 'zoo.cfg');
    writeFileSync(cfgPath, Object.entries(opts.zooCfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    configArgs.push('--config', cfgPath);
  }
  const launch = (): ChildProcess => {
    const c = spawn(
      process.execPath,
      [...(opts.nodeArgs ?? []), bin, ...configArgs, '--port', String(port), '--data-dir', dataDir, '--no-admin', ...(opts.serverArgs ?? [])],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PADDOCK_LOG_LEVEL: opts.logLevel ?? 'warn' } },
    );
    // Keep only the tail: enough to explain a failed start, bounded for a long run.
    c.stderr?.on('data', (chunk: Buffer) => { stderr.push(chunk.toString()); if (stderr.length > 20) stderr.shift(); });
    return c;
  };
  let child = launch();
  const stop = async (): Promise<void> => {
    await stopChild(child, 'SIGTERM', opts.stopGraceMs ?? 5000);
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const serving = async (): Promise<void> => {
    try {
      await waitUntilServing('coord-server', port, child, opts.startTimeoutMs ?? 15_000, opts.pollMs);
    } catch (err) {
      await stop();
      throw new Error(`${(err as Error).message}${stderr.length ? `; stderr: ${stderr.join('').trim()}` : ''}`);
    }
  };
  await serving();
  return {
    host: '127.0.0.1', port, connectString: `127.0.0.1:${port}`, dataDir, stop,
    get pid() { return child.pid; },
    async restart(r: RestartOptions = {}) {
      await stopChild(child, r.signal ?? 'SIGKILL', opts.stopGraceMs ?? 5000);
      await r.whileDown?.();
      child = launch();
      await serving();
    },
  };
}
