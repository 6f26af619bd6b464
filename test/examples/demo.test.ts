import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ExampleProcess, isAlive } from './example-process.js';

// `npm run demo` is `tsc -b && node examples/dist/demo/demo.js`; the build has run already.

afterEach(() => ExampleProcess.killAll());

const WINDOW = /calls (in the last second|since the last line): A (\d+), B (\d+) \(failed (\d+)\)$/;

/** A report line: the answers of A and B since the report before. */
interface Window {
  readonly index: number;
  readonly last: boolean;
  readonly a: number;
  readonly b: number;
  readonly failed: number;
}

function windows(lines: readonly string[]): Window[] {
  const out: Window[] = [];
  lines.forEach((line, index) => {
    const m = WINDOW.exec(line);
    if (m !== null) out.push({ index, last: m[1] === 'since the last line', a: Number(m[2]), b: Number(m[3]), failed: Number(m[4]) });
  });
  return out;
}

function indexOf(lines: readonly string[], re: RegExp): number {
  const i = lines.findIndex((l) => re.test(l));
  expect(i, `a line matching ${re}`).toBeGreaterThanOrEqual(0);
  return i;
}

function providerPids(lines: readonly string[]): number[] {
  return lines.flatMap((l) => /provider [AB]: pid (\d+), serving/.exec(l)?.[1] ?? []).map(Number);
}

describe('npm run demo', () => {
  it('shows calls flowing to both providers, a graceful stop, a restart and a SIGKILL, with no failed call, and exits 0', async () => {
    const demo = new ExampleProcess('demo/demo.js', []);
    const exit = await demo.exit(90_000);
    const { lines } = demo;
    expect(exit, demo.output + demo.stderr).toEqual({ code: 0, signal: null });
    const all = windows(lines);
    expect(all.every((w) => w.failed === 0)).toBe(true);

    const stopA = indexOf(lines, />>> stopping provider A gracefully/);
    const exitedA = indexOf(lines, /provider A exited \(code 0\)$/);
    const restartA = indexOf(lines, />>> starting provider A again$/);
    const killB = indexOf(lines, />>> killing provider B \(SIGKILL\)/);
    const exitedB = indexOf(lines, /provider B exited \(SIGKILL\)$/);
    const dropB = indexOf(lines, /registry: providers now A$/);
    const end = indexOf(lines, />>> stopping: the consumer stops calling/);
    expect([stopA, exitedA, restartA, killB, exitedB, dropB, end]).toEqual([stopA, exitedA, restartA, killB, exitedB, dropB, end].sort((x, y) => x - y));
    expect(indexOf(lines, /registry: providers now B$/)).toBeGreaterThan(stopA);

    // Both serve before the stop; B alone after A exited; both after the restart; A alone after the kill.
    expect(all.some((w) => w.index < stopA && w.a > 0 && w.b > 0)).toBe(true);
    expect(all.some((w) => w.index > exitedA && w.index < restartA && w.a === 0 && w.b > 0)).toBe(true);
    expect(all.some((w) => w.index > restartA && w.index < killB && w.a > 0 && w.b > 0)).toBe(true);
    // The first report after the kill also counts what B answered before it; B answers none after.
    const afterKill = all.filter((w) => w.index > exitedB).slice(1);
    expect(afterKill.length).toBeGreaterThan(1);
    expect(afterKill.every((w) => w.b === 0)).toBe(true);
    expect(afterKill.every((w) => w.a > 0 || w.last)).toBe(true);

    const total = /total: (\d+) calls, 0 failed \(A (\d+), B (\d+)\)$/.exec(lines.at(-1) ?? '');
    expect(total, lines.at(-1)).not.toBeNull();
    expect(Number(total?.[1])).toBe(Number(total?.[2]) + Number(total?.[3]));
    expect(lines.at(-2)).toMatch(/provider A exited \(code 0\)$/);

    // Nothing left behind: three provider processes, all gone, and the data directory removed.
    const pids = providerPids(lines);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isAlive)).toEqual([]);
    const dataDir = /data in (\S+)\)$/.exec(lines.find((l) => l.includes('data in')) ?? '')?.[1] ?? '';
    expect(dataDir).not.toBe('');
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it('Ctrl-C stops the providers and the server, removes the data directory and exits 130', async () => {
    const demo = new ExampleProcess('demo/demo.js', []);
    await demo.line(/calls in the last second: A \d+, B \d+/);
    demo.signal('SIGINT');
    expect(await demo.exit()).toEqual({ code: 130, signal: null });
    expect(demo.lines.at(-1)).toMatch(/stopped$/);
    const pids = providerPids(demo.lines);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
    const dataDir = /data in (\S+)\)$/.exec(demo.lines.find((l) => l.includes('data in')) ?? '')?.[1] ?? '';
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);
});
