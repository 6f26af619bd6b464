import { formatStat } from './format.js';
import { zkOf, type Command } from './command.js';

/**
 * zkCli's `config [-c] [-w] [-s]`: the ensemble's config text from /zookeeper/config (empty on
 * a standalone server) and a newline, then its Stat with -s; with -c, ZooKeeper's client
 * connection string instead (ConfigUtils.getClientConfigStr).
 */
export const config: Command = {
  name: 'config', usage: 'config [-c] [-w] [-s]', options: { flags: 'cws', valued: '' }, minArgs: 0,
  async run(ctx, a) {
    const zk = await zkOf(ctx);
    const { data, nullData, stat } = await zk.getConfig(a.flags.has('w') ? ctx.session.watcher : undefined);
    const text = nullData ? 'null' : data.toString('utf8');
    ctx.out(`${a.flags.has('c') ? clientConfig(text) : text}\n${a.flags.has('s') ? formatStat(stat) : ''}`);
  },
};

/**
 * "<version> <clientHost:port,...>": the config's version, then each server's client address
 * (empty for a server line without one), as ZooKeeper's ConfigUtils.getClientConfigStr prints
 * them. ZooKeeper walks the lines in its Properties' hash order; we keep the text's order,
 * which is the same for the texts ZooKeeper writes for ids 1 to 9. A line whose client part
 * does not read is left out, as ZooKeeper leaves it out (after printing its stack trace).
 */
function clientConfig(text: string): string {
  let version = '';
  const clients: string[] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'version') version = value;
    if (!key.startsWith('server.')) continue;
    const client = clientAddress(value);
    if (client !== undefined) clients.push(client);
  }
  return `${version} ${clients.join(',')}`;
}

/** The `;[host:]port` part of a server line as host:port ("" when absent; a bare port listens on 0.0.0.0). */
function clientAddress(value: string): string | undefined {
  const part = value.split(';')[1];
  if (part === undefined || part === '') return '';
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d{1,5})$/.exec(part);
  if (!m || Number(m[3]) > 65535) return undefined;
  return `${m[1] ?? m[2] ?? '0.0.0.0'}:${Number(m[3])}`;
}
