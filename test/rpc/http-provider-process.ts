import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { untilOutput } from '../../bench/support/child-output.js';
import { afterAll } from 'vitest';
import type { ProviderConfig } from './provider-process.js';
import { within } from './rpc-harness.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/http-provider.mjs', import.meta.url));
const running = new Set<ChildProcess>();

/** The fixture provider (provider.mjs) served over http in a child process; only these children are ever signalled. */
export interface HttpProvider {
  readonly port: number;
  readonly pid: number;
  /** http://127.0.0.1:port */
  readonly address: string;
  readonly log: () => string;
  /** SIGTERM (graceful shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function useHttpProviders(): (config?: ProviderConfig) => Promise<HttpProvider> {
  afterAll(async () => {
    const all = [...running];
    for (const c of all) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(all.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  });
  return startHttpProvider;
}

async function startHttpProvider(config: ProviderConfig = {}): Promise<HttpProvider> {
  const child = spawn(process.execPath, [FIXTURE, JSON.stringify({ host: '127.0.0.1', port: 0, ...config })], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  const started = await untilOutput(child, /READY (\d+)/, 20_000).catch((err: Error) => {
    throw new Error(`http provider did not start: ${err.message}`);
  });
  let text = started.text;
  const port = Number(started.match[1]);
  child.stdout?.on('data', (c: Buffer) => { text += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { text += c.toString(); });
  return {
    port,
    pid: child.pid as number,
    address: `http://127.0.0.1:${port}`,
    log: () => text,
    stop: () => {
      child.kill('SIGTERM');
      return within(exited, `http provider ${child.pid} to exit after SIGTERM`, 20_000);
    },
  };
}
