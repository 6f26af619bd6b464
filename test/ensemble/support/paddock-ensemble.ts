import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordServer } from '../../../packages/coord-server/src/coord-server.js';
import type { CoordServerOptions } from '../../../packages/coord-server/src/config/options.js';
import { optionsFromZooCfg } from '../../../packages/coord-server/src/config/from-zoo-cfg.js';
import { loadZooCfg } from '../../../packages/coord-server/src/config/zoo-cfg.js';

// memberPorts and serverLines live in bench/support, which the ensemble bench shares.
export { memberPorts, serverLines } from '../../../bench/support/ensemble-ports.js';

export interface PaddockMember {
  readonly id: number;
  readonly dataDir: string;
  server: CoordServer | null;
  start(): Promise<CoordServer>;
  stop(): Promise<void>;
}

/**
 * A Paddock ensemble member in this process: its own data dir, myid and zoo.cfg listing the
 * given server lines. `start` may be called again after `stop` (a restart on the same data).
 */
export function paddockMember(
  id: number, lines: readonly string[],
  opts: {
    tickTime?: number; observer?: boolean; dataDir?: string; clientPort?: number; initLimit?: number; syncLimit?: number; extra?: readonly string[];
    /** Where the member logs (default the root logger, silent in tests). */
    logger?: CoordServerOptions['logger'];
  } = {},
): PaddockMember {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), `paddock-ens-${id}-`));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'myid'), `${id}\n`);
  const cfg = [
    `tickTime=${opts.tickTime ?? 200}`, `initLimit=${opts.initLimit ?? 10}`, `syncLimit=${opts.syncLimit ?? 5}`, `dataDir=${dataDir}`,
    ...(opts.clientPort === undefined ? [] : [`clientPort=${opts.clientPort}`, 'clientPortAddress=127.0.0.1']),
    'admin.enableServer=false', '4lw.commands.whitelist=*', 'forceSync=no',
    ...(opts.observer ? ['peerType=observer'] : []), ...(opts.extra ?? []), ...lines,
  ].join('\n');
  writeFileSync(join(dataDir, 'zoo.cfg'), `${cfg}\n`);
  const member: PaddockMember = {
    id, dataDir, server: null,
    async start() {
      const { options } = optionsFromZooCfg(loadZooCfg(join(dataDir, 'zoo.cfg')));
      member.server = await CoordServer.start(opts.logger ? { ...options, logger: opts.logger } : options);
      return member.server;
    },
    async stop() {
      await member.server?.close();
      member.server = null;
    },
  };
  return member;
}

export function removeMember(m: PaddockMember): void {
  rmSync(m.dataDir, { recursive: true, force: true });
}
