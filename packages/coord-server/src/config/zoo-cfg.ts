import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { FOUR_LETTER_WORDS, type FourLetterWord } from '@paddock/coord-protocol';

/** A `server.N=host:quorumPort:electionPort[:role][;clientHost:clientPort]` line. */
interface ServerLine {
  readonly id: number;
  readonly host: string;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly role: 'participant' | 'observer';
}

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
  purgeIntervalHours?: number;
  fourLetterWords?: ReadonlySet<FourLetterWord>;
  adminEnabled?: boolean;
  adminHost?: string;
  adminPort?: number;
  maxBuffer?: number;
  sessionlessCnxnTimeout?: number;
  extendedTypesEnabled?: boolean;
  superDigest?: string;
  serverId?: number;
  servers: readonly ServerLine[];
  /** Keys we do not know; the caller warns about each. */
  unknownKeys: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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

function serverLine(key: string, v: string): ServerLine {
  const id = int(key, key.slice('server.'.length), 0, 254);
  const [addr = ''] = v.split(';');
  const parts = addr.split(':');
  if (parts.length < 3 || !parts[0]) bad(key, v, 'expected host:quorumPort:electionPort[:participant|observer]');
  const role = parts[3] ?? 'participant';
  if (role !== 'participant' && role !== 'observer') bad(key, v, `unknown role ${role}`);
  return {
    id, host: parts[0]!, quorumPort: int(key, parts[1]!, 1, 65535), electionPort: int(key, parts[2]!, 1, 65535),
    role: role as ServerLine['role'],
  };
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
  'autopurge.purgeInterval': (c, v, k) => { c.purgeIntervalHours = int(k, v); },
  '4lw.commands.whitelist': (c, v, k) => { c.fourLetterWords = fourLetterWords(k, v); },
  'admin.enableServer': (c, v, k) => { c.adminEnabled = bool(k, v); },
  'admin.serverAddress': (c, v) => { c.adminHost = v; },
  'admin.serverPort': (c, v, k) => { c.adminPort = int(k, v, 0, 65535); },
  'jute.maxbuffer': (c, v, k) => { c.maxBuffer = int(k, v, 1024, 2 ** 30); },
  'nio.sessionlessCnxnTimeout': (c, v, k) => { c.sessionlessCnxnTimeout = int(k, v, 1); },
  extendedTypesEnabled: (c, v, k) => { c.extendedTypesEnabled = bool(k, v); },
  superDigest: (c, v, k) => { c.superDigest = superDigest(k, v); },
  // ZooKeeper reads unknown zoo.cfg keys as `zookeeper.<key>` system properties: this is how
  // its super user is set from zoo.cfg.
  'DigestAuthenticationProvider.superDigest': (c, v, k) => { c.superDigest = superDigest(k, v); },
  // A digest algorithm other than SHA1 would change every digest ACL and identity.
  'DigestAuthenticationProvider.digestAlg': (c, v, k) => {
    if (!/^SHA-?1$/i.test(v)) unsupported(k, `digest ACLs hashed with ${v}`);
  },
  skipACL: (c, v, k) => { if (bool(k, v)) unsupported(k, 'serving every znode without ACL checks'); },
};

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
 * Parses zoo.cfg text (Java properties: `key=value`, `#` comments). Relative data dirs are
 * resolved against the file's folder. Bad values throw a ConfigError naming key and value.
 */
export function parseZooCfg(text: string, baseDir = '.'): ZooConfig {
  const cfg: ZooConfig & { servers: ServerLine[]; unknownKeys: string[] } = { servers: [], unknownKeys: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    if (eq <= 0) throw new ConfigError(`zoo.cfg: cannot parse line "${line}" (expected key=value)`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const security = securityKey(key);
    if (security) unsupported(key, security);
    if (key.startsWith('server.')) cfg.servers.push(serverLine(key, value));
    else if (KEYS[key]) KEYS[key](cfg, value, key);
    else cfg.unknownKeys.push(key);
  }
  for (const k of ['dataDir', 'dataLogDir'] as const) {
    const dir = cfg[k];
    if (dir !== undefined && !isAbsolute(dir)) cfg[k] = resolve(baseDir, dir);
  }
  return cfg;
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
  const myid = cfg.dataDir && join(cfg.dataDir, 'myid');
  if (myid && existsSync(myid)) {
    const text = readFileSync(myid, 'utf8').trim();
    cfg.serverId = int(`myid (${myid})`, text, 0, 254);
  }
  return cfg;
}
