import type { CoordServerOptions } from './options.js';
import { ConfigError, type ZooConfig } from './zoo-cfg.js';

/**
 * Turns a parsed zoo.cfg into server options. `server.N` lines describe an ensemble, which
 * Paddock does not run yet: they are validated by the parser and refused here by name.
 */
export function optionsFromZooCfg(cfg: ZooConfig): { options: CoordServerOptions; warnings: string[] } {
  if (cfg.servers.length > 0) {
    const names = cfg.servers.map((s) => `server.${s.id}`).join(', ');
    throw new ConfigError(`zoo.cfg: ${names} describe a replicated ensemble, which this server cannot run yet; remove them to run standalone`);
  }
  const o: CoordServerOptions = {};
  const copy = <K extends keyof CoordServerOptions & keyof ZooConfig>(k: K) => {
    if (cfg[k] !== undefined) (o as Record<string, unknown>)[k] = cfg[k];
  };
  for (const k of [
    'tickTime', 'dataDir', 'dataLogDir', 'port', 'host', 'maxClientCnxns', 'snapCount', 'forceSync',
    'snapRetainCount', 'purgeIntervalHours', 'adminEnabled', 'adminHost', 'adminPort', 'maxBuffer',
    'extendedTypesEnabled', 'superDigest', 'serverId', 'sessionlessCnxnTimeout',
  ] as const) copy(k);
  // ZooKeeper treats -1 as "not set" for the session timeout bounds.
  if (cfg.minSessionTimeout !== undefined && cfg.minSessionTimeout >= 0) o.minSessionTimeout = cfg.minSessionTimeout;
  if (cfg.maxSessionTimeout !== undefined && cfg.maxSessionTimeout >= 0) o.maxSessionTimeout = cfg.maxSessionTimeout;
  if (cfg.fourLetterWords) o.fourLetterWords = [...cfg.fourLetterWords];
  const warnings = cfg.unknownKeys.map((k) => `zoo.cfg: unknown key ${k} ignored`);
  return { options: o, warnings };
}
