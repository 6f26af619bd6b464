import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { untilOutput } from '../../../bench/support/child-output.js';
import type { Hold } from './marker.js';

const SOURCE = fileURLToPath(new URL('./CuratorContender.java', import.meta.url));
const MAIN = 'CuratorContender';
/** Debian's jars: Curator 5.4 (libcurator-recipes-java) and what it needs at run time. */
const JARS = ['curator-recipes', 'curator-framework', 'curator-client', 'zookeeper', 'zookeeper-jute', 'guava', 'slf4j-api']
  .map((name) => `/usr/share/java/${name}.jar`);
/** Optional: silences slf4j's "no binding" notice. */
const QUIET_LOGGING = '/usr/share/java/slf4j-nop.jar';
const START_MS = 30_000;

let availability: string | null | undefined;

/**
 * Null when the Java side can run here (javac, java and Curator's jars), else why not. In CI a
 * missing peer is an error, never a skip (like zooKeeperMissing); locally the caller skips visibly.
 */
function curatorMissing(): string | null {
  if (availability !== undefined) return availability;
  const missingJar = JARS.find((jar) => !existsSync(jar));
  if (missingJar !== undefined) availability = `Curator not installed (${missingJar} missing; apt-get install libcurator-recipes-java)`;
  else if (spawnSync('javac', ['-version']).status !== 0) availability = 'javac not found (apt-get install default-jdk-headless)';
  else if (spawnSync('java', ['-version']).status !== 0) availability = 'java not found';
  else availability = null;
  if (availability && process.env.CI) throw new Error(`CI requires the Curator peer: ${availability}`);
  return availability;
}

/** Logs a visible skip message when the Java side cannot run; returns true when tests must skip. */
export function skipWithoutCurator(suite: string): boolean {
  const why = curatorMissing();
  if (why) console.warn(`[SKIP] ${suite}: ${why}`);
  return why !== null;
}

function classPath(extra: string[]): string {
  return [...extra, ...JARS, ...(existsSync(QUIET_LOGGING) ? [QUIET_LOGGING] : [])].join(':');
}

/** The compiled contender: a temp dir holding its classes, removed by dispose(). */
export class CompiledContender {
  private constructor(readonly dir: string) {}

  static compile(): CompiledContender {
    const dir = mkdtempSync(join(tmpdir(), 'paddock-curator-'));
    const out = spawnSync('javac', ['-d', dir, '-cp', classPath([]), SOURCE], { encoding: 'utf8', timeout: START_MS });
    if (out.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`javac ${SOURCE} failed (${out.status ?? out.signal}): ${out.stderr}${out.stdout}`);
    }
    return new CompiledContender(dir);
  }

  /** Starts the Java side and resolves once it is connected (it then waits for go()). */
  async start(connectString: string, recipe: 'mutex' | 'rw' | 'latch', base: string, rounds: number): Promise<CuratorProcess> {
    const child = spawn('java', ['-cp', classPath([this.dir]), MAIN, connectString, recipe, base, String(rounds)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const contender = new CuratorProcess(child);
    try {
      await untilOutput(child, /^ready$/m, START_MS);
    } catch (err) {
      contender.kill();
      throw err;
    }
    return contender;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What the Java side reported. */
export interface CuratorReport {
  readonly holds: Hold[];
  readonly violations: string[];
}

/** One running CuratorContender: only this child is ever signalled, by its own handle. */
export class CuratorProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    child.stderr?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1))));
  }

  go(): void {
    this.child.stdin?.end('go\n');
  }

  /**
   * Resolves with the report once the process printed "done" and exited 0; rejects with its
   * output when it failed. Use it in a race with our side, so that a failed Java side ends the
   * test at once instead of leaving our side waiting.
   */
  async report(): Promise<CuratorReport> {
    const code = await this.exited;
    const lines = this.output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (code !== 0 || !lines.includes('done')) throw new Error(`the Curator side exited ${code}: ${this.output.trim().slice(-4000)}`);
    const holds: Hold[] = [];
    const violations: string[] = [];
    for (const line of lines) {
      const hold = /^hold (\S+) (-?\d+) (\d+)$/.exec(line);
      if (hold) holds.push({ side: 'java', kind: hold[1]!, version: Number(hold[2]), holders: Number(hold[3]) });
      else if (line.startsWith('violation ')) violations.push(`java ${line.slice('violation '.length)}`);
    }
    return { holds, violations };
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
