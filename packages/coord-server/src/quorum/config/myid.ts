import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../base/config-error.js';

/**
 * Our own server id is the high byte of every session id we create, so 0..254: 255 would make
 * session ids look like the owner ZooKeeper reserves for TTL and container nodes (ZooKeeper
 * refuses it whenever extended types are on, as they always are here). ZooKeeper itself reads
 * any long and silently wraps ids above 255 in session ids.
 */
const MAX_MYID = 254;

/**
 * Reads `<dataDir>/myid` as ZooKeeper does: its first line, a decimal number, and nothing
 * else on that line. Undefined when there is no such file (a standalone server needs none).
 */
export function readMyid(dataDir: string): { readonly id: number; readonly path: string } | undefined {
  const path = join(dataDir, 'myid');
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(path, 'latin1').slice(0, 256);
  } catch (err) {
    throw new ConfigError(`cannot read myid (${path}): ${(err as Error).message}`);
  }
  const line = text.split(/\r\n|\r|\n/)[0]!;
  if (!/^\d{1,3}$/.test(line) || Number(line) > MAX_MYID) {
    throw new ConfigError(`myid (${path}) holds ${JSON.stringify(line.slice(0, 32))}: expected a server id from 0 to ${MAX_MYID} on its first line`);
  }
  return { id: Number(line), path };
}
