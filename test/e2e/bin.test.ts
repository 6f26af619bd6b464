import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetter } from '../support/zookeeper.js';
import { freePort } from '../support/ports.js';

const BIN = 'packages/coord-server/bin/coord-server.js';

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in: ${text}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${text}`)); });
  });
}

describe('coord-server bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-bin-'));

  beforeAll(() => {
    execFileSync('npx', ['tsc', '-b'], { stdio: 'ignore' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves on the given port and data dir, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '--port', String(port), '--data-dir', join(dir, 'data'), '--tick-time', '500'], {
      env: { ...process.env, PADDOCK_LOG_LEVEL: 'info' },
    });
    await waitForLine(child, /coordination server listening/);
    expect(await fourLetter(port, 'ruok')).toBe('imok');
    expect(existsSync(join(dir, 'data'))).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses bad flags with a message naming them and a non-zero exit', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [BIN, ...args], { stdio: 'pipe' });
        return { code: 0, err: '' };
      } catch (e) {
        const x = e as { status: number; stderr: Buffer };
        return { code: x.status, err: x.stderr.toString() };
      }
    };
    expect(run(['--port', 'abc'])).toMatchObject({ code: 1, err: expect.stringContaining('--port expects an integer, got "abc"') });
    expect(run(['--tick-time', '0'])).toMatchObject({ code: 1, err: expect.stringContaining('tickTime must be an integer') });
    expect(run(['--help'])).toMatchObject({ code: 0 });
  });
});
