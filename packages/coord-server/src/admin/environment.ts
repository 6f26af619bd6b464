import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname, release, tmpdir, type as osType, userInfo } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { ResolvedOptions } from '../config/options.js';

/**
 * Facts about the process and its directories: `envi`/`environment`, `dirs`, the file
 * descriptor counts of `mntr`, `system_properties` and `initial_configuration`.
 */

/** Bytes in the regular files directly inside `dir` (ZooKeeper sums its version-2 folder). */
export function dirSize(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let total = 0;
  for (const n of names) {
    try {
      const st = statSync(join(dir, n));
      if (st.isFile()) total += st.size;
    } catch {
      // Purged between the listing and the stat.
    }
  }
  return total;
}

/** Open and maximum file descriptors; null where /proc is missing (ZooKeeper omits them off Unix). */
export function fileDescriptors(): { open: number; max: number } | null {
  try {
    // The listing holds one descriptor of its own, which is not the server's.
    const open = readdirSync('/proc/self/fd').length - 1;
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    const max = !m || m[1] === 'unlimited' ? -1 : Number(m[1]);
    return { open, max };
  } catch {
    return null;
  }
}

const mb = (bytes: number): string => `${Math.floor(bytes / (1024 * 1024))}MB`;

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return '?';
  }
}

/**
 * `envi` / `environment`, in ZooKeeper's order; its java.* keys are replaced by what a Node
 * process has instead (node.version, node.execPath), the others keep their names.
 */
export function environment(version: string): [string, string][] {
  const heap = getHeapStatistics();
  return [
    ['zookeeper.version', version],
    ['host.name', hostname()],
    ['node.version', process.version],
    ['node.execPath', process.execPath],
    ['node.tmpdir', tmpdir()],
    ['os.name', osType()],
    ['os.arch', process.arch],
    ['os.version', release()],
    ['user.name', userName()],
    ['user.home', homedir()],
    ['user.dir', process.cwd()],
    ['os.memory.free', mb(heap.total_heap_size - heap.used_heap_size)],
    ['os.memory.max', mb(heap.heap_size_limit)],
    ['os.memory.total', mb(heap.total_heap_size)],
  ];
}

/** `system_properties`: the runtime's own facts (never environment variables: they hold secrets). */
export function systemProperties(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.versions)) if (v !== undefined) out[`node.versions.${k}`] = v;
  out['node.execArgv'] = process.execArgv.join(' ');
  out['node.argv'] = process.argv.join(' ');
  out['process.pid'] = String(process.pid);
  out['process.platform'] = process.platform;
  out['process.arch'] = process.arch;
  out['user.dir'] = process.cwd();
  return out;
}

/**
 * `initial_configuration`: ZooKeeper returns its zoo.cfg text; we render the options the
 * server started with under their zoo.cfg names. The super user's digest is left out.
 */
export function initialConfiguration(o: ResolvedOptions, clientPort: number): string {
  const lines: [string, string | number | boolean][] = [
    ['tickTime', o.tickTime],
    ['dataDir', o.dataDir],
    ['dataLogDir', o.dataLogDir],
    ['clientPort', clientPort],
    ['clientPortAddress', o.host],
    ['minSessionTimeout', o.minSessionTimeout],
    ['maxSessionTimeout', o.maxSessionTimeout],
    ['maxClientCnxns', o.maxClientCnxns],
    ['snapCount', o.snapCount],
    ['forceSync', o.forceSync ? 'yes' : 'no'],
    ['autopurge.snapRetainCount', o.snapRetainCount],
    ['autopurge.purgeInterval', o.purgeIntervalHours],
    ['4lw.commands.whitelist', o.fourLetterWords.join(',')],
    ['admin.enableServer', o.adminEnabled],
    ['admin.serverAddress', o.adminHost],
    ['admin.serverPort', o.adminPort],
    ['jute.maxbuffer', o.maxBuffer],
    ['extendedTypesEnabled', o.extendedTypesEnabled],
    ['znode.container.checkIntervalMs', o.containerCheckIntervalMs],
  ];
  return lines.map(([k, v]) => `${k}=${v}\n`).join('');
}
