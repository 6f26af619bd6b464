import { spawn } from 'node:child_process';
import { stopChild } from '../support/four-letter.js';
import { freePort } from '../support/ports.js';
import { SERVE_SCRIPT } from './paths.js';
import type { SystemName } from './systems.js';

const START_TIMEOUT_MS = 30_000;
/** Long enough for a --cpu-prof profile to be written. */
const STOP_GRACE_MS = 20_000;

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, SIGKILL after a grace period; idempotent. */
  stop(): Promise<void>;
}

/** Starts one system's echo server in its own Node process on a free loopback port; resolves once it serves. */
export async function startServerProcess(system: SystemName, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, SERVE_SCRIPT, system, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): Promise<void> => stopChild(child, 'SIGTERM', STOP_GRACE_MS);
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not serve within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        // The listeners stay, so the pipes never fill up; only the start is kept, to explain a failure.
        if (output.length < 8192) output += chunk.toString();
        if (output.includes(`READY ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code ?? signal}) before serving`));
      });
    });
  } catch (err) {
    await stop();
    throw new Error(`${system} server: ${(err as Error).message}${output ? `; output: ${output.trim()}` : ''}`);
  }
  return { port, pid: child.pid as number, stop };
}
