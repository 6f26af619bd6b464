#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the code lives in dist/.
import { main } from '../dist/bin.js';

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`paddock-console: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
