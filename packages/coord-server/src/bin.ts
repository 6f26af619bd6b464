import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AdminMount } from './config/admin-mount.js';
import { CoordServer, VERSION } from './coord-server.js';
import { optionsFromZooCfg } from './config/from-zoo-cfg.js';
import type { CoordServerOptions } from './config/options.js';
import { ConfigError, loadZooCfg } from './config/zoo-cfg.js';
import { createLogger } from './base/logger.js';
import { type LogSettings, logFromZooCfg, logOutput, parseFormat, parseMaxFiles, parseSize } from './config/log-options.js';

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
  --log-format <pretty|json>     log lines for a person (ISO times) or JSON lines
                                 (default: pretty on a terminal, json otherwise and in a file)
  --log-file <path>              log to this file instead of stdout, rolled by size to
                                 <path>.1 .. <path>.N (zoo.cfg: zookeeper.log.dir/.file)
  --log-max-size <size>          roll the file past this size: bytes, KB, MB or GB (default 256MB)
  --log-max-files <n>            rolled files kept (default 20)
  --console-token-file <file>    file whose first line is the web console's token for changes
                                 (default: PADDOCK_CONSOLE_TOKEN from the environment)
  --no-console                   do not serve the web console under /console on the AdminServer
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

/** What the command line says about the web console (the bin builds it; see AdminMount). */
export interface ConsoleFlags {
  console?: boolean;
  consoleTokenFile?: string;
}

type CommandLine = CoordServerOptions & ConsoleFlags & { config?: string; log?: LogSettings };

function logFlags(values: Record<string, string | boolean | undefined>): LogSettings | undefined {
  const log: LogSettings = {};
  const text = (flag: string) => (typeof values[flag] === 'string' ? values[flag] : undefined);
  const format = text('log-format');
  if (format !== undefined) log.format = parseFormat('--log-format', format);
  const file = text('log-file');
  if (file !== undefined) log.file = file;
  const size = text('log-max-size');
  if (size !== undefined) log.maxSize = parseSize('--log-max-size', size);
  const files = text('log-max-files');
  if (files !== undefined) log.maxFiles = parseMaxFiles('--log-max-files', files);
  return Object.keys(log).length > 0 ? log : undefined;
}

/** Parses the command line into server options; throws with a message naming the bad flag. */
export function parseCommandLine(argv: readonly string[]): CommandLine | 'help' | 'version' {
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
      'log-format': { type: 'string' },
      'no-console': { type: 'boolean' },
      'console-token-file': { type: 'string' },
      'log-file': { type: 'string' },
      'log-max-size': { type: 'string' },
      'log-max-files': { type: 'string' },
      ...Object.fromEntries(Object.keys(INT_FLAGS).map((k) => [k, { type: 'string' as const }])),
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const opts: CommandLine = {};
  if (values['no-console'] === true) opts.console = false;
  if (typeof values['console-token-file'] === 'string') opts.consoleTokenFile = values['console-token-file'];
  const log = logFlags(values);
  if (log) opts.log = log;
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

/** Builds the web console's mount; the launcher passes it in (coord-server cannot import it). */
export type ConsoleFactory = (config: { token?: string }) => AdminMount;

/** The console's token: the file's first line, or PADDOCK_CONSOLE_TOKEN; none: digest logins only. */
function consoleToken(file: string | undefined): string | undefined {
  if (file === undefined) return process.env.PADDOCK_CONSOLE_TOKEN || undefined;
  try {
    return readFileSync(file, 'utf8').split('\n')[0]?.trim() || undefined;
  } catch (err) {
    throw new ConfigError(`--console-token-file ${file}: ${(err as Error).message}`);
  }
}

export async function main(argv: readonly string[], makeConsole?: ConsoleFactory): Promise<void> {
  const parsed = parseCommandLine(argv);
  if (parsed === 'help' || parsed === 'version') {
    process.stdout.write(parsed === 'help' ? USAGE : VERSION_LINE);
    return;
  }
  const { config, log, console: withConsole, consoleTokenFile, ...flags } = parsed;
  const token = consoleToken(consoleTokenFile);
  const adminMounts = withConsole === false || !makeConsole ? [] : [makeConsole(token === undefined ? {} : { token })];
  let fromFile: CoordServerOptions = {};
  let logSettings: LogSettings = log ?? {};
  let warnings: string[] = [];
  if (config !== undefined) {
    const zooCfg = loadZooCfg(config);
    const fromCfg = optionsFromZooCfg(zooCfg);
    const { options } = fromCfg;
    warnings = fromCfg.warnings;
    logSettings = { ...(zooCfg.log ? logFromZooCfg(zooCfg.log) : {}), ...logSettings };
    // As ZooKeeper: a config file names where the data lives (no silent ./data shared by
    // every config started from one folder). --data-dir may stand in for it.
    if (options.dataDir === undefined && flags.dataDir === undefined) {
      throw new ConfigError(`${config}: dataDir is not set; add dataDir=<folder> (or pass --data-dir)`);
    }
    fromFile = options;
  }
  const logger = createLogger(undefined, logOutput(logSettings));
  for (const w of warnings) logger.warn(w);
  const server = await CoordServer.start({
    ...fromFile, ...flags, logger, adminMounts,
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
