// Bundles the console's page script (ui/src/*.ts, plain TypeScript and DOM) into dist/ui/app.js
// with esbuild: one file, no CDN, served by the AdminServer. Run by `npm run build` and
// `npm install` (prepare), and by the console's browser test before it opens the page.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export async function bundleConsoleUi() {
  await build({
    entryPoints: [here('./ui/src/app.ts')],
    outfile: here('./dist/ui/app.js'),
    bundle: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    tsconfig: here('./ui/tsconfig.json'),
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleConsoleUi();
