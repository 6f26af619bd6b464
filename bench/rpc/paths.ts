import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledBenchScript } from '../support/compiled-script.js';

// This module runs from bench/rpc (vitest, TypeScript) and from bench/dist/rpc (npm run bench);
// the server child always runs compiled JavaScript, and echo.proto stays beside the sources.
const here = dirname(fileURLToPath(import.meta.url));
const compiled = basename(dirname(here)) === 'dist';

/** The child process entry that serves one system (compiled by `tsc -b`). */
export const SERVE_SCRIPT = compiledBenchScript(import.meta.url, 'serve-system.js');
/** The gRPC peer's service definition. */
export const ECHO_PROTO = join(compiled ? join(here, '..', '..', 'rpc') : here, 'echo.proto');
