import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, logFormat } from './logger.js';
import { prettyLine } from './pretty-log.js';
import { RotatingFile } from './rotating-file.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log format', () => {
  it('is pretty on a terminal and json into a pipe or a file, unless asked', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ file: { path: 'x', maxSize: 1, maxFiles: 1 } }, true)).toBe('json');
    expect(logFormat({ format: 'json' }, true)).toBe('json');
    expect(logFormat({ format: 'pretty', file: { path: 'x', maxSize: 1, maxFiles: 1 } }, false)).toBe('pretty');
  });

  it('a pretty line: ISO time, level, component, message, then the fields and the stack', () => {
    const time = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(prettyLine(JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', name: 'coord-server', component: 'admin', msg: 'admin server listening', host: '127.0.0.1', port: 8080 })))
      .toBe('2026-01-02T03:04:05.678Z INFO  [admin] admin server listening host=127.0.0.1 port=8080\n');
    expect(prettyLine(JSON.stringify({ level: 50, time, msg: 'failed', why: 'two words', err: { message: 'boom', stack: 'Error: boom\n    at f (x.js:1:1)' } })))
      .toBe('2026-01-02T03:04:05.678Z ERROR failed why="two words" err=boom\n    at f (x.js:1:1)\n');
    expect(prettyLine('not json')).toBe('not json\n');
  });

  it('createLogger writes pretty or json lines into a file', () => {
    for (const format of ['pretty', 'json'] as const) {
      const path = join(dir, `${format}.log`);
      const log = createLogger('info', { format, file: { path, maxSize: 1 << 20, maxFiles: 2 } });
      log.child({ component: 'admin' }).info({ port: 7 }, 'hello');
      const line = readFileSync(path, 'utf8');
      if (format === 'json') expect(JSON.parse(line)).toMatchObject({ msg: 'hello', port: 7, component: 'admin', level: 30 });
      else expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[admin\] hello port=7\n$/);
    }
  });
});

describe('RotatingFile', () => {
  it('rolls by size to path.1 .. path.N, keeping whole lines, the newest in path.1', () => {
    const path = join(dir, 'roll', 'server.log');
    const f = new RotatingFile(path, { maxSize: 25, maxFiles: 2 });
    for (let i = 0; i < 7; i++) f.write(`line ${i} 0123456789\n`); // 18 bytes: one line a file
    f.close();
    expect(readdirSync(join(dir, 'roll')).sort()).toEqual(['server.log', 'server.log.1', 'server.log.2']);
    expect(readFileSync(path, 'utf8')).toBe('line 6 0123456789\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('line 5 0123456789\n');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('line 4 0123456789\n');
  });

  it('appends to an existing file and counts its size', () => {
    const path = join(dir, 'append.log');
    const a = new RotatingFile(path, { maxSize: 30, maxFiles: 1 });
    a.write('0123456789\n');
    a.close();
    const b = new RotatingFile(path, { maxSize: 30, maxFiles: 1 });
    b.write('0123456789\n');
    b.write('0123456789\n');
    b.close();
    expect(readFileSync(path, 'utf8')).toBe('0123456789\n');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('0123456789\n0123456789\n');
  });
});
