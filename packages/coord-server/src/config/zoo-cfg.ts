import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { FOUR_LETTER_WORDS, type FourLetterWord } from '@paddock/coord-protocol';
import { ConfigError } from '../base/config-error.js';
import { propertyLines, type PropertyLine } from '../base/java-properties.js';
import { parseMaxFiles, parseSize } from './log-options.js';
import type { PlacedServer } from '../quorum/config/check-servers.js';
import { readMyid } from '../quorum/config/myid.js';
import { parseServerSpec, serverIdOf, ServerSpecError, type QuorumRole } from '../quorum/config/server-spec.js';

export { ConfigError };

/** Everything zoo.cfg can say that Paddock honours, in the server's own option names. */
export interface ZooConfig {
  tickTime?: number;
  initLimit?: number;
  syncLimit?: number;
  dataDir?: string;
  dataLogDir?: string;
  port?: number;
  host?: string;
  maxClientCnxns?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  snapCount?: number;
  forceSync?: boolean;
  snapRetainCount?: number;
  snapshotSizeFactor?: number;
  purgeIntervalHours?: number;
  fourLetterWords?: ReadonlySet<FourLetterWord>;
  adminEnabled?: boolean;
  adminHost?: string;
  adminPort?: number;
  maxBuffer?: number;
  sessionlessCnxnTimeout?: number;
  extendedTypesEnabled?: boolean;
  enforceQuota?: boolean;
  superDigest?: string;
  /** metricsProvider.*: set when className names ZooKeeper's Prometheus provider. */
  metricsProvider?: { host?: string; port?: number; processMetrics?: boolean };
  /** metricsProvider.className, kept to check the other metricsProvider keys against it. */
  metricsClassName?: string;
  /** ZooKeeper 3.8's logback properties: the rolling log file. */
  log?: { dir?: string; file?: string; maxSize?: number; maxFiles?: number };
  /** From dataDir/myid, and where it was read. */
  serverId?: number;
  myidPath?: string;
  servers: readonly PlacedServer[];
  electionAlg?: number;
  peerType?: QuorumRole;
  standaloneEnabled?: boolean;
  cnxTimeout?: number;
  quorumListenOnAllIPs?: boolean;
  multiAddressEnabled?: boolean;
  /** Every key, in file order (ZooKeeper's printed server order depends on them). */
  keys: readonly string[];
  /** The line each key was (last) read from, for messages that name it. */
  lines: ReadonlyMap<string, number>;
  /** Keys we do not know; the caller warns about each. */
  unknownKeys: readonly string[];
}

const bad = (key: string, value: string, why: string): never => {
  throw new ConfigError(`zoo.cfg: bad value for ${key}: "${value}" (${why})`);
};

function int(key: string, v: string, min = 0, max = 2 ** 31 - 1): number {
  if (!/^-?\d+$/.test(v)) bad(key, v, 'expected an integer');
  const n = Number(v);
  if (n < min || n > max) bad(key, v, `expected ${min}..${max}`);
  return n;
}

function fraction(key: string, v: string, max: number): number {
  const n = /^-?(\d+\.?\d*|\.\d+)$/.test(v) ? Number(v) : Number.NaN;
  if (Number.isNaN(n) || n > max) bad(key, v, `expected a number up to ${max} (negative: off)`);
  return n < 0 ? -1 : n;
}

function bool(key: string, v: string): boolean {
  const t = v.toLowerCase();
  if (t === 'yes' || t === 'true') return true;
  if (t === 'no' || t === 'false') return false;
  return bad(key, v, 'expected yes/no or true/false');
}

function fourLetterWords(key: string, v: string): Set<FourLetterWord> {
  const words = v.split(',').map((w) => w.trim()).filter(Boolean);
  if (words.includes('*')) return new Set(FOUR_LETTER_WORDS);
  for (const w of words) {
    if (!(FOUR_LETTER_WORDS as readonly string[]).includes(w)) bad(key, v, `unknown four-letter word ${w}`);
  }
  return new Set(words as FourLetterWord[]);
}

type Setter = (c: ZooConfig, v: string, key: string) => void;

/** One row per key: the only place zoo.cfg keys are named. */
const KEYS: Record<string, Setter> = {
  tickTime: (c, v, k) => { c.tickTime = int(k, v, 1); },
  initLimit: (c, v, k) => { c.initLimit = int(k, v, 1); },
  syncLimit: (c, v, k) => { c.syncLimit = int(k, v, 1); },
  dataDir: (c, v) => { c.dataDir = v; },
  dataLogDir: (c, v) => { c.dataLogDir = v; },
  clientPort: (c, v, k) => { c.port = int(k, v, 0, 65535); },
  clientPortAddress: (c, v) => { c.host = v; },
  maxClientCnxns: (c, v, k) => { c.maxClientCnxns = int(k, v); },
  minSessionTimeout: (c, v, k) => { c.minSessionTimeout = int(k, v, -1); },
  maxSessionTimeout: (c, v, k) => { c.maxSessionTimeout = int(k, v, -1); },
  snapCount: (c, v, k) => { c.snapCount = int(k, v, 2); },
  forceSync: (c, v, k) => { c.forceSync = bool(k, v); },
  'autopurge.snapRetainCount': (c, v, k) => { c.snapRetainCount = int(k, v, 3); },
  // ZooKeeper's zookeeper.snapshotSizeFactor (an unknown key becomes that system property).
  snapshotSizeFactor: (c, v, k) => { c.snapshotSizeFactor = fraction(k, v, 1); },
  'autopurge.purgeInterval': (c, v, k) => { c.purgeIntervalHours = int(k, v); },
  '4lw.commands.whitelist': (c, v, k) => { c.fourLetterWords = fourLetterWords(k, v); },
  'admin.enableServer': (c, v, k) => { c.adminEnabled = bool(k, v); },
  'admin.serverAddress': (c, v) => { c.adminHost = v; },
  'admin.serverPort': (c, v, k) => { c.adminPort = int(k, v, 0, 65535); },
  'jute.maxbuffer': (c, v, k) => { c.maxBuffer = int(k, v, 1024, 2 ** 30); },
  'nio.sessionlessCnxnTimeout': (c, v, k) => { c.sessionlessCnxnTimeout = int(k, v, 1); },
  extendedTypesEnabled: (c, v, k) => { c.extendedTypesEnabled = bool(k, v); },
  // ZooKeeper sets these as JVM properties for conf/logback.xml; zoo.cfg may name them here.
  'zookeeper.log.dir': (c, v) => { logKeys(c).dir = v; },
  'zookeeper.log.file': (c, v) => { logKeys(c).file = v; },
  'zookeeper.log.maxfilesize': (c, v, k) => { logKeys(c).maxSize = parseSize(`zoo.cfg: ${k}`, v); },
  'zookeeper.log.maxbackupindex': (c, v, k) => { logKeys(c).maxFiles = parseMaxFiles(`zoo.cfg: ${k}`, v); },
  'metricsProvider.className': (c, v, k) => { c.metricsClassName = metricsClass(k, v); },
  'metricsProvider.httpHost': (c, v) => { metrics(c).host = v; },
  'metricsProvider.httpPort': (c, v, k) => { metrics(c).port = int(k, v, 0, 65535); },
  // Java's Boolean.parseBoolean: "true" in any case is true, anything else false.
  'metricsProvider.exportJvmInfo': (c, v) => { metrics(c).processMetrics = v.toLowerCase() === 'true'; },
  // Threads that feed the Java summaries: nothing to size here.
  'metricsProvider.numWorkerThreads': (c, v, k) => { int(k, v, -(2 ** 31)); },
  'metricsProvider.maxQueueSize': (c, v, k) => { int(k, v, 1); },
  'metricsProvider.workerShutdownTimeoutMs': (c, v, k) => { int(k, v, 1); },
  superDigest: (c, v, k) => { c.superDigest = superDigest(k, v); },
  // ZooKeeper's system property zookeeper.enforceQuota, by its zoo.cfg name and by its own.
  enforceQuota: (c, v, k) => { c.enforceQuota = javaBool(k, v); },
  'zookeeper.enforceQuota': (c, v, k) => { c.enforceQuota = javaBool(k, v); },
  // ZooKeeper reads unknown zoo.cfg keys as `zookeeper.<key>` system properties: this is how
  // its super user is set from zoo.cfg.
  'DigestAuthenticationProvider.superDigest': (c, v, k) => { c.superDigest = superDigest(k, v); },
  // A digest algorithm other than SHA1 would change every digest ACL and identity.
  'DigestAuthenticationProvider.digestAlg': (c, v, k) => {
    if (!/^SHA-?1$/i.test(v)) unsupported(k, `digest ACLs hashed with ${v}`);
  },
  skipACL: (c, v, k) => { if (bool(k, v)) unsupported(k, 'serving every znode without ACL checks'); },
  // The ensemble's keys, with ZooKeeper 3.8's checks and wording.
  electionAlg: (c, v, k) => {
    c.electionAlg = int(k, v);
    if (c.electionAlg !== 3) throw new ConfigError(`zoo.cfg: Invalid electionAlg value ${v}. Only 3 is supported.`);
  },
  peerType: (c, v) => {
    const t = v.toLowerCase();
    if (t !== 'participant' && t !== 'observer') throw new ConfigError(`zoo.cfg: Unrecognised peertype: ${v} (participant or observer)`);
    c.peerType = t;
  },
  standaloneEnabled: (c, v, k) => { c.standaloneEnabled = javaBool(k, v); },
  cnxTimeout: (c, v, k) => { c.cnxTimeout = int(k, v, 1); },
  quorumListenOnAllIPs: (c, v, k) => { c.quorumListenOnAllIPs = javaBool(k, v); },
  'multiAddress.enabled': (c, v, k) => { c.multiAddressEnabled = javaBool(k, v); },
  reconfigEnabled: (c, v, k) => {
    if (javaBool(k, v)) throw new ConfigError('zoo.cfg: reconfigEnabled=true: dynamic reconfiguration is not supported yet; set reconfigEnabled=false or remove it');
  },
  dynamicConfigFile: () => {
    throw new ConfigError('zoo.cfg: dynamicConfigFile is not supported yet (reconfiguration is off); put the server.N lines in zoo.cfg itself');
  },
};

/** ZooKeeper's own providers: the Prometheus one serves port 7000; the others export nothing extra. */
const PROMETHEUS_PROVIDER = 'org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider';
const OTHER_PROVIDERS = ['org.apache.zookeeper.metrics.impl.DefaultMetricsProvider', 'org.apache.zookeeper.metrics.impl.NullMetricsProvider'];

function metricsClass(key: string, v: string): string {
  if (v !== PROMETHEUS_PROVIDER && !OTHER_PROVIDERS.includes(v)) {
    bad(key, v, `Paddock serves ${PROMETHEUS_PROVIDER} (or ${OTHER_PROVIDERS.map((p) => p.split('.').pop()).join(', ')})`);
  }
  return v;
}

function logKeys(c: ZooConfig): NonNullable<ZooConfig['log']> {
  c.log ??= {};
  return c.log;
}

function metrics(c: ZooConfig): NonNullable<ZooConfig['metricsProvider']> {
  c.metricsProvider ??= {};
  return c.metricsProvider;
}

/** QuorumPeerConfig.parseBoolean: only true or false, in any case, for the ensemble's switches. */
function javaBool(key: string, v: string): boolean {
  const t = v.toLowerCase();
  if (t === 'true' || t === 'false') return t === 'true';
  throw new ConfigError(`zoo.cfg: Invalid option ${v} for ${key}. Choose 'true' or 'false'.`);
}

function superDigest(key: string, v: string): string {
  if (!/^[^:]+:.+$/.test(v)) bad(key, v, 'expected user:base64digest');
  return v;
}

/**
 * Keys that decide who may connect and how. Ignoring one would serve plaintext, unauthenticated
 * clients where the operator asked for TLS or SASL, so each is refused by name until it is
 * supported. An optional `zookeeper.` prefix (the system property's own name) is matched too.
 */
const SECURITY_KEYS: readonly (readonly [RegExp, string])[] = [
  [/^secureClientPort(Address)?$/, 'TLS client connections'],
  [/^ssl\./, 'TLS'],
  [/^sslQuorum(ReloadCertFiles)?$/, 'TLS between servers'],
  [/^(client\.)?portUnification$/, 'TLS and plaintext on one port'],
  [/^authProvider\./, 'an authentication provider'],
  [/^quorum\.auth\./, 'SASL between servers'],
  [/^enforce\.auth\./, 'required client authentication'],
  [/^(sessionRequireClientSASLAuth|requireClientAuthScheme|allowSaslFailedClients)$/, 'SASL client authentication'],
  [/^(superUser|kerberos\..*|jaasLoginRenew|X509AuthenticationProvider\..*)$/, 'SASL or x509 identities'],
];

function unsupported(key: string, what: string): never {
  throw new ConfigError(
    `zoo.cfg: ${key} (${what}) is not supported yet; this server would accept the connections that setting refuses. Remove it, or use Apache ZooKeeper where you need it`,
  );
}

function securityKey(key: string): string | undefined {
  const bare = key.replace(/^zookeeper\./, '');
  return SECURITY_KEYS.find(([re]) => re.test(bare))?.[1];
}

/**
 * Parses zoo.cfg text as ZooKeeper reads it (Java properties; see propertyLines). Relative data
 * dirs are resolved against the file's folder. A bad value throws a ConfigError naming the line,
 * key and value.
 */
export function parseZooCfg(text: string, baseDir = '.'): ZooConfig {
  const cfg: ZooConfig & { keys: string[]; lines: Map<string, number>; unknownKeys: string[] } = {
    servers: [], keys: [], lines: new Map(), unknownKeys: [],
  };
  const serverLines: PropertyLine[] = [];
  for (const entry of propertyLines(text)) {
    if ('bad' in entry) throw new ConfigError(`zoo.cfg line ${entry.line}: cannot parse line "${entry.bad}" (expected key=value)`);
    const { key, line } = entry;
    // ZooKeeper trims every value but a server line's (see parseServerSpec).
    const value = entry.value.trim();
    if (!cfg.lines.has(key)) cfg.keys.push(key);
    cfg.lines.set(key, line);
    atLine(line, () => {
      const security = securityKey(key);
      if (security) unsupported(key, security);
      if (key.startsWith('server.')) serverLines.push(entry);
      else if (/^(group|weight)\./.test(key)) throw new ConfigError(`zoo.cfg: ${key}: hierarchical quorums (group.N, weight.N) are not supported yet`);
      else if (KEYS[key]) KEYS[key](cfg, value, key);
      else cfg.unknownKeys.push(key);
    });
  }
  // After the loop: multiAddress.enabled may come after the server lines it governs.
  cfg.servers = serverLines.map((e) => atLine(e.line, () => serverEntry(e, cfg.multiAddressEnabled ?? false)));
  // The port-7000 keys mean something only with the Prometheus provider, as in ZooKeeper.
  if (cfg.metricsClassName !== PROMETHEUS_PROVIDER) delete cfg.metricsProvider;
  else cfg.metricsProvider ??= {};
  for (const k of ['dataDir', 'dataLogDir'] as const) {
    const dir = cfg[k];
    if (dir !== undefined && !isAbsolute(dir)) cfg[k] = resolve(baseDir, dir);
  }
  if (cfg.log?.dir !== undefined && !isAbsolute(cfg.log.dir)) cfg.log.dir = resolve(baseDir, cfg.log.dir);
  return cfg;
}

/** Runs one line's reading; a ConfigError from it names the line. */
function atLine<T>(line: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigError && err.message.startsWith('zoo.cfg: ')) {
      throw new ConfigError(`zoo.cfg line ${line}: ${err.message.slice('zoo.cfg: '.length)}`);
    }
    throw err;
  }
}

function serverEntry(e: PropertyLine, multiAddress: boolean): PlacedServer {
  const shown = `${e.key}=${e.value}`;
  try {
    return { spec: parseServerSpec(serverIdOf(e.key), e.value, multiAddress), where: `zoo.cfg line ${e.line} (${shown})`, key: e.key };
  } catch (err) {
    if (err instanceof ServerSpecError) throw new ConfigError(`zoo.cfg: bad value for ${shown}: ${err.message}`);
    throw err;
  }
}

/** Reads zoo.cfg and the `myid` file of its dataDir, as ZooKeeper does. */
export function loadZooCfg(path: string): ZooConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  const cfg = parseZooCfg(text, dirname(resolve(path)));
  const myid = cfg.dataDir !== undefined && existsSync(cfg.dataDir) ? readMyid(cfg.dataDir) : undefined;
  return myid ? { ...cfg, serverId: myid.id, myidPath: myid.path } : cfg;
}
