import { join } from 'node:path';
import { ConfigError } from '../base/config-error.js';
import { DEFAULT_ROTATION, LOG_FORMATS, type LogFormat, type LogOutput } from '../base/logger.js';

/** What zoo.cfg or the flags say about the log; the flags win. */
export interface LogSettings {
  format?: LogFormat;
  /** The file; zoo.cfg's zookeeper.log.dir + zookeeper.log.file make one. */
  file?: string;
  maxSize?: number;
  maxFiles?: number;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
/** Past this, a "size" is a typo (ZooKeeper's default is 256MB). */
const MAX_SIZE = 1024 ** 4;

/** A size as logback writes it: 1048576, 64KB, 10MB, 1GB (any case). Throws naming `what`. */
export function parseSize(what: string, text: string): number {
  const m = /^(\d+)\s*(kb|mb|gb)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]! : Number.NaN;
  if (!(n >= 1 && n <= MAX_SIZE)) throw new ConfigError(`${what}: bad size "${text}" (expected bytes, or a number with KB, MB or GB, at least 1)`);
  return n;
}

export function parseFormat(what: string, text: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(text)) throw new ConfigError(`${what}: unknown log format "${text}" (pretty or json)`);
  return text as LogFormat;
}

export function parseMaxFiles(what: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 1000) throw new ConfigError(`${what}: bad count "${text}" (expected 0..1000)`);
  return Number(text);
}

/** zoo.cfg's logback keys (ZooKeeper 3.8's conf/logback.xml properties) into settings. */
export function logFromZooCfg(c: { dir?: string; file?: string; maxSize?: number; maxFiles?: number }): LogSettings {
  const out: LogSettings = {};
  // As logback.xml: the file is zookeeper.log.dir/zookeeper.log.file, defaults . and zookeeper.log.
  if (c.dir !== undefined || c.file !== undefined) out.file = join(c.dir ?? '.', c.file ?? 'zookeeper.log');
  if (c.maxSize !== undefined) out.maxSize = c.maxSize;
  if (c.maxFiles !== undefined) out.maxFiles = c.maxFiles;
  return out;
}

export function logOutput(s: LogSettings): LogOutput {
  const file = s.file === undefined ? undefined
    : { path: s.file, maxSize: s.maxSize ?? DEFAULT_ROTATION.maxSize, maxFiles: s.maxFiles ?? DEFAULT_ROTATION.maxFiles };
  return { ...(s.format ? { format: s.format } : {}), ...(file ? { file } : {}) };
}
