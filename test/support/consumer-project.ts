import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const run = promisify(execFile);

/** The compiler options every consumer project starts from: a Node 20 ESM project, strict. */
const BASE_OPTIONS = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', types: ['node'] };

/**
 * A user's project in a fresh temporary directory: its own package.json and tsconfig, the
 * repository's node_modules (so `@paddock/*` resolve to the built packages, as a user's would
 * to the published ones), compiled with the repository's tsc and run with this node.
 */
export class ConsumerProject {
  private constructor(readonly dir: string) {}

  /** `files`: name → TypeScript source; `options` are added to the base compiler options. */
  static create(files: Readonly<Record<string, string>>, options: Readonly<Record<string, unknown>> = {}): ConsumerProject {
    const dir = mkdtempSync(join(tmpdir(), 'paddock-consumer-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...BASE_OPTIONS, ...options }, files: Object.keys(files) }));
    return new ConsumerProject(dir);
  }

  /** Type-checks and emits; resolves with tsc's diagnostics, '' when there are none. */
  async compile(): Promise<string> {
    return run(process.execPath, [TSC, '-p', this.dir]).then(() => '', (err: { stdout?: string }) => err.stdout ?? String(err));
  }

  /** Runs a compiled file (`name.ts` runs as out/name.js); resolves with its stdout. */
  async run(name: string, timeoutMs = 30_000): Promise<string> {
    const { stdout } = await run(process.execPath, [join(this.dir, 'out', name.replace(/\.ts$/, '.js'))], { timeout: timeoutMs, killSignal: 'SIGKILL' });
    return stdout;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
