import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { main } from '../../packages/coord-client/src/cli/main.js';
import { normalizeZkCli, type Transcript } from '../support/zkcli-transcript.js';
import { ZK_CLI } from '../support/zookeeper.js';

/** The committed launcher (it imports the built dist/, which the global setup builds). */
export const CLI_BIN = 'packages/coord-client/bin/coord-cli.js';
/** Bound on any one wait for output or exit. */
const WAIT_MS = 15_000;
/** Fixed zone, so printed dates do not depend on the machine. */
const ENV = { ...process.env, TZ: 'UTC' };

export interface CliRun {
  readonly out: string;
  readonly err: string;
  /** stdout and stderr in the order they were written. */
  readonly all: string;
  readonly code: number;
}

/**
 * Runs coord-cli inside this process (cheap): `argv` as the bin receives it, `stdin` for the
 * shell. With `terminal`, the shell believes it talks to one: what it echoes, prompts and
 * completes there is collected in `all` and `out` too.
 */
export async function runCli(argv: readonly string[], stdin: string | Readable = '', opts: { terminal?: boolean; onOutput?: (text: string) => void } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  let all = '';
  const screen = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      all += chunk.toString();
      opts.onOutput?.(chunk.toString());
      done();
    },
  });
  const code = await main(argv, {
    input: typeof stdin === 'string' ? Readable.from(stdin === '' ? [] : [stdin]) : stdin,
    terminal: opts.terminal ? screen : null,
    out: (t) => { out += t; all += t; opts.onOutput?.(t); },
    err: (t) => { err += t; all += t; },
  });
  return { out, err, all, code };
}

/** "Connecting to", then the connection event unless the command was refused before connecting. */
const PREAMBLE = /^Connecting to \S+\n(\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n)?/;

/** A one-shot run's stdout after the preamble, which it must start with. */
export function afterConnect(out: string): string {
  if (!PREAMBLE.test(out)) throw new Error(`output does not start with the connection preamble:\n${out}`);
  return out.replace(PREAMBLE, '');
}

/** Runs the bin as a separate process with the given arguments; resolves when it exits. */
export function spawnCli(args: readonly string[], opts: { bin?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [opts.bin ?? CLI_BIN, ...args], { env: ENV, timeout: opts.timeoutMs ?? WAIT_MS, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== 'number') {
          reject(new Error(`coord-cli ${args.join(' ')} did not exit normally (${String(error)}):\n${stdout}${stderr}`));
          return;
        }
        resolve({ out: stdout, err: stderr, all: stdout + stderr, code });
      });
  });
}

/** Runs Debian's zkCli.sh with the given arguments (one-shot mode); separate stdout and stderr. */
export function spawnZkCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...ENV, CLIENT_JVMFLAGS: '-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC' };
    execFile(ZK_CLI, [...args], { env, timeout: 30_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code !== 'number') {
        reject(new Error(`zkCli.sh ${args.join(' ')} did not exit normally (${String(error)})`));
        return;
      }
      const noSlf4j = (s: string): string => s.split('\n').filter((l) => !l.startsWith('SLF4J:')).join('\n');
      resolve({ out: noSlf4j(stdout), err: noSlf4j(stderr), all: '', code });
    });
  });
}

/**
 * The shell fed a script on stdin (then `quit`), stdout and stderr merged in writing order
 * through one pipe, exactly as `runZkCli` runs zkCli.sh.
 */
export function runCliScript(connectString: string, commands: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'exec "$0" "$1" -server "$2" 2>&1', process.execPath, CLI_BIN, connectString], {
      stdio: ['pipe', 'pipe', 'inherit'], env: ENV,
    });
    const out: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`coord-cli did not finish within ${WAIT_MS} ms; output so far:\n${Buffer.concat(out).toString()}`));
    }, WAIT_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(out).toString('utf8')); });
    child.stdin.end([...commands, 'quit', ''].join('\n'));
  });
}

/**
 * coord-cli's transcript made comparable with zkCli.sh's: neither prints prompts when input is
 * not a terminal (Debian's zkCli.sh runs without JLine). A line left empty is either an empty line of
 * output or the blank line before a WATCHER:: block, which the normalization drops as it does
 * zkCli.sh's own. Then the normalization the zkCli.sh comparisons use.
 */
export function normalizeCliTranscript(raw: string, port: number): Transcript {
  const lines = raw.split('\n').filter((l) => l !== 'Welcome to coord-cli!');
  return normalizeZkCli(lines.join('\n'), port);
}

/** zkCli.sh's transcript without its two banner lines, which coord-cli words differently. */
export function normalizeZkCliTranscript(raw: string, port: number): Transcript {
  const banner = new Set(['Welcome to ZooKeeper!', 'JLine support is disabled', 'JLine support is enabled']);
  return normalizeZkCli(raw.split('\n').filter((l) => !banner.has(l)).join('\n'), port);
}

/**
 * An interactive coord-cli driven through its stdin (no terminal), stdout and stderr merged.
 * Each wait is for text to appear, bounded; nothing sleeps.
 */
export class CliShell {
  private text = '';
  private seen = 0;
  private listeners: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (c: Buffer) => {
      this.text += c.toString('utf8');
      for (const l of [...this.listeners]) l();
    });
    this.exited = new Promise((resolve) => child.on('close', (code) => {
      for (const l of [...this.listeners]) l();
      resolve(code);
    }));
  }

  static start(args: readonly string[]): CliShell {
    const child = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, CLI_BIN, ...args], { env: ENV });
    return new CliShell(child);
  }

  /** Everything printed so far. */
  get output(): string {
    return this.text;
  }

  /** Waits until `what` appears after what earlier waits consumed; returns the text up to its end. */
  waitFor(what: string | RegExp, ms = WAIT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const rest = this.text.slice(this.seen);
        const m = typeof what === 'string' ? (rest.includes(what) ? { index: rest.indexOf(what), 0: what } : null) : what.exec(rest);
        if (!m) return false;
        const end = this.seen + m.index + m[0].length;
        const chunk = this.text.slice(this.seen, end);
        this.seen = end;
        resolve(chunk);
        return true;
      };
      if (check()) return;
      const listener = (): void => {
        if (check()) done();
        else if (this.child.exitCode !== null) {
          done();
          reject(new Error(`coord-cli exited before printing ${String(what)}; output:\n${this.text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms} ms waiting for ${String(what)}; output:\n${this.text}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  /** Waits for the greeting and the connection event (the shell is connected and reading). */
  async ready(): Promise<string> {
    return this.waitFor('WatchedEvent state:SyncConnected type:None path:null\n');
  }

  /**
   * Sends a command line and resolves with what it printed. Without a terminal the shell
   * prints no prompt, so a `printwatches` after the line marks where its output ends (it
   * changes nothing, but counts as a command of its own in `history`).
   */
  async run(line: string): Promise<string> {
    this.send(`${line}\nprintwatches`);
    const chunk = await this.waitFor(/printwatches is (on|off)\n/);
    return chunk.replace(/printwatches is (on|off)\n$/, '');
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Closes stdin (end of input) and resolves with the exit code. */
  async end(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
