import { spawn } from 'node:child_process';
import { untilOutput } from '../support/child-output.js';
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
  try {
    await untilOutput(child, new RegExp(`READY ${port}`), START_TIMEOUT_MS);
  } catch (err) {
    await stop();
    throw new Error(`${system} server: ${(err as Error).message}`);
  }
  // Read on, so the pipes never fill up.
  child.stdout.resume();
  child.stderr.resume();
  return { port, pid: child.pid as number, stop };
}
