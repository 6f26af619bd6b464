import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLUSTER_NAMES, HTTP_STATUS_OF_CODE, LOAD_BALANCE_NAMES, RPC_ERROR_CODES, RpcError } from '@paddock/rpc';
import { resolveTcpOptions } from '../../packages/rpc/src/transport/tcp/tcp-options.js';

// The READMEs stay true: the root README's hello is the code of examples/hello, every example a
// README tells to run exists, and the rpc README's samples compile and its tables match the code.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const READMES = ['README.md', 'examples/README.md', 'packages/rpc/README.md'];

/** The fenced blocks of a language in a markdown text. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1] as string);
}

/** Code lines: no blank lines, no whole-line comments. */
function code(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
}

/** The rows of the markdown table whose header starts with `| first |`, as cells. */
function table(markdown: string, first: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  expect(start, `a table headed "${first}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]?.startsWith('|'); i++) {
    rows.push((lines[i] as string).split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));
  }
  return rows;
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

describe('the root README', () => {
  it('shows examples/hello as it is, in under 30 lines', () => {
    const hello = blocks(read('README.md'), 'ts').find((b) => b.startsWith('// examples/hello/greeter.ts'));
    expect(hello).toBeDefined();
    const lines = (hello as string).trimEnd().split('\n');
    expect(lines.length).toBeLessThan(30);
    const files = (hello as string).split(/^\/\/ (examples\/hello\/\S+\.ts)\n/m).slice(1);
    const shown = new Map<string, string>();
    for (let i = 0; i < files.length; i += 2) shown.set(files[i] as string, files[i + 1] as string);
    expect([...shown.keys()]).toEqual(['examples/hello/greeter.ts', 'examples/hello/provider.ts', 'examples/hello/consumer.ts']);
    for (const [path, text] of shown) expect(code(text), path).toEqual(code(read(path)));
  });
});

describe('examples', () => {
  it('every example a README runs exists in examples/dist after the build', () => {
    for (const readme of READMES) {
      for (const [, script] of read(readme).matchAll(/node (examples\/dist\/\S+\.js)/g)) {
        expect(existsSync(join(ROOT, script as string)), `${readme}: ${script}`).toBe(true);
      }
    }
  });

  it('examples/README.md lists every example directory', () => {
    const listed = table(read('examples/README.md'), 'example').map((row) => unquote(row[0] as string));
    const dirs = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'dist').map((d) => `${d.name}/`);
    expect(listed.sort()).toEqual(dirs.sort());
  });

  it('`npm run demo` is the demo the tests run', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toBe('tsc -b && node examples/dist/demo/demo.js');
  });
});

describe('packages/rpc/README.md', () => {
  const readme = read('packages/rpc/README.md');

  it('documents every error code, in the table\'s order, with its retryable flag, whether it may have run, and its HTTP status', () => {
    const rows = table(readme, 'code | retryable');
    expect(rows.map((r) => unquote(r[0] as string))).toEqual([...RPC_ERROR_CODES]);
    for (const [code, retryable, ran, status] of rows) {
      const err = new RpcError(unquote(code as string) as (typeof RPC_ERROR_CODES)[number]);
      expect(retryable, code).toBe(err.retryable ? 'yes' : 'no');
      expect(ran, code).toBe(err.notExecuted ? 'never' : 'maybe');
      expect(Number(status), code).toBe(HTTP_STATUS_OF_CODE[err.code]);
    }
  });

  it('documents the bounds on what a consumer can make a provider allocate by their option names', () => {
    const options = table(readme, '`tcp` option | default').map((r) => unquote(r[0] as string));
    expect(options).toEqual(['maxFrameBytes', 'maxDecodeRatio', 'maxConnections', 'maxBufferedBytes']);
    for (const name of options) expect(Object.keys(resolveTcpOptions()), name).toContain(name);
  });

  it('lists every load balancer and cluster by the names refer() takes', () => {
    expect(table(readme, '`loadbalance` | picks').map((r) => unquote(r[0] as string))).toEqual([...LOAD_BALANCE_NAMES]);
    expect(table(readme, '`cluster` | on failure').map((r) => unquote(r[0] as string))).toEqual([...CLUSTER_NAMES]);
  });

  it('its TypeScript samples, read as one program, type-check', async () => {
    // Under node_modules, so '@paddock/*' resolves as it does for a user (to the built packages).
    const dir = mkdtempSync(join(ROOT, 'node_modules/.cache-rpc-readme-'));
    try {
      writeFileSync(join(dir, 'readme.ts'), `${blocks(readme, 'ts').join('\n')}\nexport {};\n`);
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      const flags = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--experimentalDecorators', '--skipLibCheck', '--types', 'node'];
      const run = await promisify(execFile)(process.execPath, [tsc, ...flags, join(dir, 'readme.ts')]).then(() => '', (err: { stdout?: string }) => err.stdout ?? String(err));
      expect(run).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
