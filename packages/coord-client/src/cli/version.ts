import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.js';
import { NO_OPTIONS, type Command } from './command.js';

/** The zkCli release whose commands and output coord-cli follows. */
const ZKCLI_VERSION = '3.8.0';
const USAGE = 'version ';

/**
 * zkCli's version, then this package's (from its package.json, which ships beside dist/ and
 * src/ alike), in the form the server reports in `srvr`: 3.8.0-paddock-0.1.0.
 */
function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return `${ZKCLI_VERSION}-paddock-${String(pkg.version)}`;
}

/**
 * zkCli's `version`: one line on stdout. It needs no server, but like zkCli's it answers "Not
 * connected" in a shell whose session was closed, and takes no arguments.
 */
export const version: Command = {
  name: 'version', usage: USAGE, options: NO_OPTIONS, minArgs: 0,
  async run(ctx, a) {
    if (a.args.length > 0) throw new CliError(USAGE);
    ctx.out(`ZooKeeper CLI version: ${cliVersion()}\n`);
  },
};
