import { parseArgs } from 'node:util';
import { CoordServer, VERSION } from './coord-server.js';
import { optionsFromZooCfg } from './config/from-zoo-cfg.js';
import type { CoordServerOptions } from './config/options.js';
import { ConfigError, loadZooCfg } from './config/zoo-cfg.js';
import { createLogger } from './base/logger.js';

const USAGE = `Usage: coord-server [options]

Runs a ZooKeeper-compatible coordination server.

Options:
  --config <zoo.cfg>             read a ZooKeeper config file (and dataDir/myid); flags override it
  --host <addr>                  listen address (default 127.0.0.1)
  --port <n>                     client port (default 2181)
  --data-dir <dir>               data directory (default ./data)
  --tick-time <ms>               basic time unit (default 2000)
  --server-id <n>                server id, 0-254 (default 1)
  --min-session-timeout <ms>     default 2 x tick time
  --max-session-timeout <ms>     default 20 x tick time
  --admin-host <addr>            AdminServer address (default 127.0.0.1)
  --admin-port <n>               AdminServer port, 0 for a free one (default 8080)
  --no-admin                     do not start the AdminServer
  --version                      print the version and exit
  -h, --help                     show this help
`;

const INT_FLAGS = {
  port: 'port',
  'tick-time': 'tickTime',
  'server-id': 'serverId',
  'min-session-timeout': 'minSessionTimeout',
  'max-session-timeout': 'maxSessionTimeout',
  'admin-port': 'adminPort',
} as const;

function toInt(flag: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new Error(`--${flag} expects an integer, got "${text}"`);
  return Number(text);
}

/** What `--version` prints: zkServer.sh's `version` line, with the name and version of this server. */
const VERSION_LINE = `Paddock coord-server, version ${VERSION}\n`;

/** Parses the command line into server options; throws with a message naming the bad flag. */
export function parseCommandLine(argv: readonly string[]): (CoordServerOptions & { config?: string }) | 'help' | 'version' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      'admin-host': { type: 'string' },
      'no-admin': { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(INT_FLAGS).map((k) => [k, { type: 'string' as const }])),
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const opts: CoordServerOptions & { config?: string } = {};
  if (typeof values.config === 'string') opts.config = values.config;
  if (typeof values.host === 'string') opts.host = values.host;
  if (typeof values['data-dir'] === 'string') opts.dataDir = values['data-dir'];
  if (typeof values['admin-host'] === 'string') opts.adminHost = values['admin-host'];
  if (values['no-admin'] === true) opts.adminEnabled = false;
  for (const [flag, key] of Object.entries(INT_FLAGS)) {
    const v = values[flag as keyof typeof values];
    if (typeof v === 'string') opts[key] = toInt(flag, v);
  }
  return opts;
}

export async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCommandLine(argv);
  if (parsed === 'help' || parsed === 'version') {
    process.stdout.write(parsed === 'help' ? USAGE : VERSION_LINE);
    return;
  }
  const { config, ...flags } = parsed;
  const logger = createLogger();
  let fromFile: CoordServerOptions = {};
  if (config !== undefined) {
    const { options, warnings } = optionsFromZooCfg(loadZooCfg(config));
    // As ZooKeeper: a config file names where the data lives (no silent ./data shared by
    // every config started from one folder). --data-dir may stand in for it.
    if (options.dataDir === undefined && flags.dataDir === undefined) {
      throw new ConfigError(`${config}: dataDir is not set; add dataDir=<folder> (or pass --data-dir)`);
    }
    for (const w of warnings) logger.warn(w);
    fromFile = options;
  }
  const server = await CoordServer.start({
    ...fromFile, ...flags, logger,
    onFatal: (err) => {
      process.stderr.write(`coord-server: ${err.message}; exiting\n`);
      process.exit(err.exitCode);
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    try {
      server.logger.info({ signal }, 'shutting down');
    } finally {
      server.close().then(() => process.exit(0), () => process.exit(1));
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
