import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';

// `npm run ensemble` as a user runs it: the built launcher (global setup builds it) in a folder
// of its own, so its ./data/ensemble is a temp dir, on a base port chosen free for the run.

const LAUNCHER = fileURLToPath(new URL('../../scripts/dist/ensemble/main.js', import.meta.url));
/** The offsets of the launcher's port table (scripts/ensemble/plan.ts): client, quorum, election, admin. */
const OFFSETS = [0, 707, 1707, 5900];
const SERVE_MS = 60_000;

interface Run {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly exited: Promise<number | null>;
}

const runs: Run[] = [];
const dirs: string[] = [];

afterEach(() => {
  // A failed assertion must leave nothing running: the launcher's own exit kills its members.
  for (const r of runs.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

/** A base port whose every port (3 or 5 servers) is free now; at most 40 tries. */
async function freeBase(size = 3): Promise<number> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const held = await Promise.all(OFFSETS.flatMap((o) => Array.from({ length: size }, (_, i) => listen(base + o + i))));
    await Promise.all(held.map((s) => s && new Promise((r) => s.close(r))));
    if (held.every((s) => s !== null)) return base;
  }
  throw new Error('no free base port found in 40 tries');
}

function launch(cwd: string, args: readonly string[]): Run {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd, env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' } });
  const run: Run = { child, out: '', err: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (c: Buffer) => { run.out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { run.err += c.toString(); });
  runs.push(run);
  return run;
}

/**
 * The connect string the launcher prints once every server serves, resolved once the line
 * after it (how to stop them) is in too: the two may come in separate chunks.
 */
async function connectString(run: Run): Promise<string> {
  const printed = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect string within ${SERVE_MS} ms:\n${run.out}${run.err}`)), SERVE_MS);
    const check = (): void => {
      const m = /^connect string: (\S+)$/m.exec(run.out);
      if (m && /^Ctrl-C stops them all/m.test(run.out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    run.child.stdout!.on('data', check);
    void run.exited.then((code) => { clearTimeout(timer); reject(new Error(`launcher exited ${code}:\n${run.out}${run.err}`)); });
  });
  return printed;
}

/** The member pids the launcher printed, by server id. */
function pids(run: Run): Map<number, number> {
  return new Map([...run.out.matchAll(/^server\.(\d+) {2}pid (\d+) /gm)].map((m) => [Number(m[1]), Number(m[2])]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A launcher transcript with numbers and roles blanked: what the README's sample must look like. */
function shape(text: string): string[] {
  return text.trim().split('\n').map((l) => l.replace(/\d+/g, '#').replace(/\b(leader|follower|observer)$/, 'ROLE'));
}

/** The root README's sample output of `npm run ensemble` (the fenced block that starts with its first line). */
function readmeSample(): string {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  return /^```\n(ensemble: starting[\s\S]*?)^```$/m.exec(readme)?.[1] ?? '(no sample in README.md)';
}

function tempCwd(): string {
  const d = mkdtempSync(join(tmpdir(), 'paddock-ensemble-e2e-'));
  dirs.push(d);
  return d;
}

describe('npm run ensemble', () => {
  it('serves three servers on the printed connect string, stops all on SIGINT, and keeps the data for the next run', async () => {
    const cwd = tempCwd();
    const base = await freeBase();
    const first = launch(cwd, ['--base-port', String(base)]);
    const cs = await connectString(first);
    expect(cs).toBe([0, 1, 2].map((i) => `127.0.0.1:${base + i}`).join(','));
    expect(first.out, first.out + first.err).toMatch(/^ensemble: 3 servers serve; server\.[123] leads$/m);
    // The README shows this output as it is, numbers and roles aside.
    expect(shape(readmeSample())).toEqual(shape(first.out));
    const client = await CoordClient.connect(cs, { sessionTimeout: 6000 });
    await client.create('/e2e', Buffer.from('kept'));
    await client.close();
    // Every server has it, whichever the client wrote through.
    for (let i = 0; i < 3; i++) {
      const one = await CoordClient.connect(`127.0.0.1:${base + i}`, { sessionTimeout: 6000 });
      await one.sync('/e2e');
      expect((await one.getData('/e2e')).data.toString()).toBe('kept');
      await one.close();
    }
    const members = pids(first);
    expect([...members.keys()].sort()).toEqual([1, 2, 3]);
    first.child.kill('SIGINT');
    expect(await first.exited, first.out + first.err).toBe(0);
    expect(first.out).toMatch(/^ensemble: all 3 servers stopped$/m);
    expect(first.err).toBe('');
    for (const pid of members.values()) expect(alive(pid)).toBe(false);

    const second = launch(cwd, ['--base-port', String(base)]);
    const client2 = await CoordClient.connect(await connectString(second), { sessionTimeout: 6000 });
    await client2.sync('/e2e');
    expect((await client2.getData('/e2e')).data.toString()).toBe('kept');
    await client2.close();
    second.child.kill('SIGTERM');
    expect(await second.exited, second.out + second.err).toBe(0);
    for (const pid of pids(second).values()) expect(alive(pid)).toBe(false);
  }, 120_000);

  it('reports a busy port in one line and starts nothing', async () => {
    const cwd = tempCwd();
    const base = await freeBase();
    const holder = await listen(base + 1);
    try {
      const run = launch(cwd, ['--base-port', String(base)]);
      expect(await run.exited).toBe(1);
      expect(run.err).toBe(`ensemble: port ${base + 1} (server.2's client port) is in use; stop what holds it, or move every port with --base-port\n`);
      expect(run.out).toBe('ensemble: nothing was started\n');
      expect(existsSync(join(cwd, 'data'))).toBe(false);
    } finally {
      await new Promise((r) => holder!.close(r));
    }
  });

  it('reports a server that exits in one line, stops the others and exits non-zero', async () => {
    const cwd = tempCwd();
    const base = await freeBase();
    const run = launch(cwd, ['--base-port', String(base)]);
    await connectString(run);
    const members = pids(run);
    // A follower: the leader and the other follower keep a quorum until the launcher stops them.
    const victim = [...members.keys()].find((id) => !new RegExp(`^server\\.${id} .* leader$`, 'm').test(run.out))!;
    process.kill(members.get(victim)!, 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.err).toMatch(new RegExp(`^ensemble: server\\.${victim} \\(pid ${members.get(victim)}\\) exited with signal SIGKILL: .* \\(log: data/ensemble/server${victim}/server\\.log\\); stopping the others\\n$`));
    expect(run.out).toMatch(/^ensemble: all 3 servers stopped$/m);
    for (const pid of members.values()) expect(alive(pid)).toBe(false);
  }, 120_000);

  it.each([
    [['--size', '4'], '--size must be 3 or 5, got "4"'],
    [['--base-port', '80'], '--base-port must be a port from 1024 to 59633 (its AdminServer ports are 5900 above it), got "80"'],
    [['--base-port', 'x1'], '--base-port must be a port from 1024 to 59633 (its AdminServer ports are 5900 above it), got "x1"'],
    [['--sise', '3'], "Unknown option '--sise'"],
  ])('refuses %j naming the bad value', async (args, message) => {
    const run = launch(tempCwd(), args);
    expect(await run.exited).toBe(1);
    expect(run.err).toContain(`ensemble: ${message}`);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(run.out).toBe('');
  });
});
