#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build; the code lives in dist/.
// It is also where the layers meet: the server cannot import the console (which builds on the
// client and the registry), so the console is handed to it here and served on the AdminServer.
import { consoleMount } from '@paddock/console';
import { main } from '../dist/bin.js';

main(process.argv.slice(2), consoleMount).catch((err) => {
  process.stderr.write(`coord-server: ${err instanceof Error ? err.message : String(err)}\n`);
  // A StorageError carries ZooKeeper's exit status for its kind of failure (3: data dir unusable).
  process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
});
