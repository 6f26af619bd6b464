import { ConfigError } from '../../base/config-error.js';
import { propertyLines } from '../../base/java-properties.js';
import { QuorumVerifier } from './quorum-verifier.js';
import { parseServerSpec, serverIdOf, ServerSpecError, type QuorumServerSpec } from './server-spec.js';

/** A config text is a few lines a server; this bounds what a peer can make us parse. */
const MAX_TEXT = 1 << 20;

/**
 * Reads the ensemble config text ZooKeeper puts in /zookeeper/config and in election
 * notifications (`server.N=…` lines and `version=<hex>`), as its QuorumPeer.configFromString
 * does: any other key is refused, as are a bad server line, the same id twice and a config
 * without voters. `multiAddress` allows `|` in server lines (ZooKeeper's multiAddress.enabled).
 */
export function parseConfigText(text: string, multiAddress = false): QuorumVerifier {
  if (text.length > MAX_TEXT) throw new ConfigError(`config text: ${text.length} characters, more than ${MAX_TEXT}`);
  const servers: QuorumServerSpec[] = [];
  const keys: string[] = [];
  const keyOf = new Map<number, string>();
  let version = 0;
  for (const entry of propertyLines(text)) {
    const where = `config text line ${entry.line}`;
    if ('bad' in entry) throw new ConfigError(`${where}: cannot parse "${entry.bad}" (expected key=value)`);
    keys.push(entry.key);
    try {
      if (entry.key.startsWith('server.')) {
        const spec = parseServerSpec(serverIdOf(entry.key), entry.value, multiAddress);
        if (servers.some((s) => s.id === spec.id)) throw new ServerSpecError(`server id ${spec.id} is listed twice`);
        servers.push(spec);
        keyOf.set(spec.id, entry.key);
      } else if (entry.key === 'version') {
        if (!/^[0-9a-fA-F]{1,13}$/.test(entry.value)) throw new ServerSpecError(`version "${entry.value}" is not a hex number below 2^52`);
        version = parseInt(entry.value, 16);
      } else {
        throw new ServerSpecError(`unknown key ${entry.key} (only server.N and version)`);
      }
    } catch (err) {
      if (err instanceof ServerSpecError) throw new ConfigError(`${where}: ${entry.key}=${entry.value}: ${err.message}`);
      throw err;
    }
  }
  if (!servers.some((s) => s.role === 'participant')) throw new ConfigError('config text: no participant (voter) is listed');
  return new QuorumVerifier(servers, keys, version, keyOf);
}
