import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The rules a machine checks, run as part of npm test so a violation fails the build: the
 * layering between packages and the folder DAG inside each (dependency-cruiser), file and
 * function length and unhandled promises (ESLint with typescript-eslint), and exports nobody
 * uses (knip). Each is shown to catch what it is for on a small fake repository.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
/** Under the repository (git-ignored), so the tools resolve their plugins from its node_modules. */
const WORK = join(ROOT, 'test', 'rules', '.work');

function run(tool: string, args: readonly string[], cwd = ROOT): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(join(BIN, tool), [...args], { cwd, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

describe('the repository keeps its rules', () => {
  it('packages import only the floors below them, and never test/, bench/ or examples/', async () => {
    const r = await run('depcruise', ['packages', 'test', 'bench', 'examples', 'scripts', '-c', '.dependency-cruiser.cjs', '--output-type', 'err']);
    expect(r.out, r.out).toMatch(/no dependency violations found/);
    expect(r.code).toBe(0);
  }, 240_000);

  it('the folders inside each package form a DAG', async () => {
    const r = await run('depcruise', ['packages', '-c', '.dependency-cruiser-folders.cjs', '--output-type', 'err']);
    expect(r.out, r.out).toMatch(/no dependency violations found/);
    expect(r.code).toBe(0);
  }, 240_000);

  it('ESLint: files under 400 lines, functions under 70, no floating promises', async () => {
    const r = await run('eslint', ['.']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('knip: no unused exports, types or files', async () => {
    const r = await run('knip', ['--include', 'exports,types,files', '--no-progress']);
    expect(r.out.trim()).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);
});

describe('the rules catch what they are for', () => {
  let repo = '';
  const put = (path: string, text: string): void => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  beforeAll(() => {
    mkdirSync(WORK, { recursive: true });
    repo = mkdtempSync(join(WORK, 'fake-'));
    put('tsconfig.eslint.json', JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, paths: { '@paddock/*': ['./packages/*/src/index.ts'] } },
      include: ['packages/**/*.ts', 'test/**/*.ts'],
    }));
    for (const name of ['edges', 'coord-protocol', 'coord-server', 'coord-client', 'registry', 'rpc']) {
      put(`packages/${name}/src/index.ts`, 'export const here = 1;\n');
    }
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('a bad import between packages, into test/, or around a folder loop is reported by name', async () => {
    put('test/support/helper.ts', 'export const helper = 1;\n');
    put('packages/coord-protocol/src/bad.ts', "import { here } from '@paddock/coord-server';\nexport const a = here;\n");
    put('packages/rpc/src/bad.ts', "import { here } from '@paddock/coord-client';\nexport const b = here;\n");
    put('packages/registry/src/bad.ts', "import { helper } from '../../../test/support/helper.js';\nexport const c = helper;\n");
    put('packages/edges/src/x/one.ts', "import { two } from '../y/two.js';\nexport const one = two;\n");
    put('packages/edges/src/y/two.ts', "export const two = 2;\nexport { three } from '../x/three.js';\n");
    put('packages/edges/src/x/three.ts', 'export const three = 3;\n');
    const layers = await run('depcruise', ['packages', 'test', '-c', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], repo);
    expect(layers.code, layers.out).not.toBe(0);
    expect(layers.out).toMatch(/protocol-imports-only-edges: packages\/coord-protocol\/src\/bad\.ts → packages\/coord-server\/src\/index\.ts/);
    expect(layers.out).toMatch(/rpc-reaches-coordination-through-the-registry: packages\/rpc\/src\/bad\.ts → packages\/coord-client\/src\/index\.ts/);
    expect(layers.out).toMatch(/packages-never-import-tests-benches-or-examples: packages\/registry\/src\/bad\.ts → test\/support\/helper\.ts/);
    const folders = await run('depcruise', ['packages', '-c', join(ROOT, '.dependency-cruiser-folders.cjs'), '--output-type', 'err'], repo);
    expect(folders.code, folders.out).not.toBe(0);
    expect(folders.out).toMatch(/no-folder-cycles: packages\/edges\/src\/(x|y)/);
  }, 120_000);

  it('ESLint reports a floating promise, a long function and a long file', async () => {
    const body = Array.from({ length: 71 }, (_, i) => `  total += ${i};`).join('\n');
    put('packages/edges/src/long.ts', [
      'async function later(): Promise<number> { return 1; }',
      'export function start(): void { later(); }',
      `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}`,
      ...Array.from({ length: 330 }, (_, i) => `export const line${i} = ${i};`),
    ].join('\n'));
    const r = await run('eslint', ['--no-config-lookup', '-c', join(ROOT, 'eslint.config.js'), '--parser-options', `tsconfigRootDir:${repo}`, 'packages/edges/src/long.ts'], repo);
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/no-floating-promises/);
    expect(r.out).toMatch(/max-lines-per-function/);
    expect(r.out).toMatch(/max-lines/);
  }, 120_000);
});
