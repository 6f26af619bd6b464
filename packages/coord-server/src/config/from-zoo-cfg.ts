import { resolveEnsemble, type EnsembleInput } from '../quorum/config/ensemble.js';
import type { CoordServerOptions } from './options.js';
import type { ZooConfig } from './zoo-cfg.js';

/**
 * Turns a parsed zoo.cfg into server options. `server.N` lines make an ensemble or not as
 * ZooKeeper decides (see resolveEnsemble): an ensemble comes back as `quorum`; a single line
 * for this server with standaloneEnabled runs standalone on that line's client address.
 */
export function optionsFromZooCfg(cfg: ZooConfig): { options: CoordServerOptions; warnings: string[] } {
  const o: CoordServerOptions = {};
  const copy = <K extends keyof CoordServerOptions & keyof ZooConfig>(k: K) => {
    if (cfg[k] !== undefined) (o as Record<string, unknown>)[k] = cfg[k];
  };
  for (const k of [
    'tickTime', 'dataDir', 'dataLogDir', 'port', 'host', 'maxClientCnxns', 'snapCount', 'forceSync',
    'snapRetainCount', 'snapshotSizeFactor', 'purgeIntervalHours', 'adminEnabled', 'adminHost', 'adminPort', 'maxBuffer',
    'extendedTypesEnabled', 'enforceQuota', 'superDigest', 'serverId', 'sessionlessCnxnTimeout',
  ] as const) copy(k);
  // ZooKeeper treats -1 as "not set" for the session timeout bounds.
  if (cfg.minSessionTimeout !== undefined && cfg.minSessionTimeout >= 0) o.minSessionTimeout = cfg.minSessionTimeout;
  if (cfg.maxSessionTimeout !== undefined && cfg.maxSessionTimeout >= 0) o.maxSessionTimeout = cfg.maxSessionTimeout;
  if (cfg.fourLetterWords) o.fourLetterWords = [...cfg.fourLetterWords];
  if (cfg.metricsProvider) o.metricsProvider = { ...cfg.metricsProvider };
  const ensemble = resolveEnsemble(ensembleInput(cfg));
  const client = ensemble.mode === 'quorum' ? ensemble.quorum.client : ensemble.client;
  if (ensemble.mode === 'quorum') o.quorum = ensemble.quorum;
  if (client) {
    o.port = client.port;
    o.host = client.host;
  }
  const warnings = cfg.unknownKeys.map((k) => `zoo.cfg: unknown key ${k} ignored`);
  return { options: o, warnings };
}

function ensembleInput(cfg: ZooConfig): EnsembleInput {
  const at = (key: string): string => `zoo.cfg line ${cfg.lines.get(key)} (${key})`;
  return {
    servers: cfg.servers,
    keys: cfg.keys,
    standaloneEnabled: cfg.standaloneEnabled ?? true,
    myid: cfg.serverId === undefined ? undefined : { value: cfg.serverId, where: `myid (${cfg.myidPath ?? 'dataDir/myid'})` },
    peerType: cfg.peerType && { value: cfg.peerType, where: at('peerType') },
    clientPort: cfg.port === undefined ? undefined : { value: { port: cfg.port, host: cfg.host }, where: at('clientPort') },
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
    cnxTimeout: cfg.cnxTimeout,
    quorumListenOnAllIPs: cfg.quorumListenOnAllIPs,
    multiAddressEnabled: cfg.multiAddressEnabled,
  };
}
