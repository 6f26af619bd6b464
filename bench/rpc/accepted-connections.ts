import { readFileSync } from 'node:fs';

/** TCP state ESTABLISHED in /proc/net/tcp. */
const ESTABLISHED = '01';
/** A server listening on all interfaces shows its IPv4 peers in tcp6, as mapped addresses. */
const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * Established TCP connections whose local end has `port`: what a server listening there has
 * accepted and still holds. Null where /proc is not available. Lets the report show the
 * connections a system really used, not the ones it was asked for.
 */
export function acceptedConnections(port: number): number | null {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let n = 0;
  for (const path of TABLES) {
    let table: string;
    try {
      table = readFileSync(path, 'utf8');
    } catch {
      return null;
    }
    for (const line of table.split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === ESTABLISHED && fields[1]?.endsWith(local)) n++;
    }
  }
  return n;
}
