import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `tsc -b` puts a bench script that sits beside the caller: bench/dist/<folder>/<file>.
 * The caller runs compiled (npm run bench: bench/dist/<folder>) or from its source (vitest:
 * bench/<folder>); a child process always runs the compiled script.
 */
export function compiledBenchScript(callerUrl: string, file: string): string {
  const here = dirname(fileURLToPath(callerUrl));
  return basename(dirname(here)) === 'dist' ? join(here, file) : join(here, '..', 'dist', basename(here), file);
}
