import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the ensemble's members keep their data, below the folder `npm run ensemble` runs in. */
export const DATA_ROOT = join('data', 'ensemble');

/**
 * Each port of server i (1-based) is `basePort + offset + i - 1`. With the default base 2181
 * the quorum and election ports are ZooKeeper's customary 2888 and 3888, and the AdminServers
 * start at 8081, leaving `npm start`'s 8080 alone; another base moves every port with it, so a
 * second ensemble (or a test) never shares one with the first.
 */
const PORT_OFFSETS = { client: 0, quorum: 707, election: 1707, admin: 5900 } as const;

/** The settings every member gets, as ZooKeeper's sample zoo.cfg has them. */
const TICK_SETTINGS = ['tickTime=2000', 'initLimit=10', 'syncLimit=5'] as const;

export const DEFAULT_BASE_PORT = 2181;

/** The highest base port whose admin port still fits in 16 bits for an ensemble of `size`. */
export function maxBasePort(size: number): number {
  return 65535 - PORT_OFFSETS.admin - (size - 1);
}

export type PortKind = keyof typeof PORT_OFFSETS;

export interface MemberPlan {
  readonly id: number;
  readonly dir: string;
  readonly ports: Readonly<Record<PortKind, number>>;
}

export interface EnsemblePlan {
  readonly members: readonly MemberPlan[];
  /** `127.0.0.1:2181,127.0.0.1:2182,...`: what a client connects with. */
  readonly connectString: string;
}

/** The members of an ensemble of `size` on loopback, their data below `cwd`. */
export function planEnsemble(size: number, basePort: number, cwd: string): EnsemblePlan {
  const members: MemberPlan[] = [];
  for (let id = 1; id <= size; id++) {
    const ports = Object.fromEntries(Object.entries(PORT_OFFSETS).map(([kind, offset]) => [kind, basePort + offset + id - 1]));
    members.push({ id, dir: resolve(cwd, DATA_ROOT, `server${id}`), ports: ports as Record<PortKind, number> });
  }
  return { members, connectString: members.map((m) => `127.0.0.1:${m.ports.client}`).join(',') };
}

/** `server.N=127.0.0.1:quorum:election;127.0.0.1:client`, one line a member. */
function serverLines(plan: EnsemblePlan): string[] {
  return plan.members.map((m) => `server.${m.id}=127.0.0.1:${m.ports.quorum}:${m.ports.election};127.0.0.1:${m.ports.client}`);
}

/**
 * Writes each member's myid and zoo.cfg (again at every start: the ports may have moved; the
 * data beside them stays). Returns the zoo.cfg paths.
 */
export function writeMemberFiles(plan: EnsemblePlan): Map<number, string> {
  const lines = serverLines(plan);
  const configs = new Map<number, string>();
  for (const m of plan.members) {
    mkdirSync(m.dir, { recursive: true });
    writeFileSync(join(m.dir, 'myid'), `${m.id}\n`);
    const cfg = join(m.dir, 'zoo.cfg');
    writeFileSync(cfg, [
      '# Written by `npm run ensemble` at each start; edits are lost.',
      ...TICK_SETTINGS,
      `dataDir=${m.dir}`,
      `clientPort=${m.ports.client}`, 'clientPortAddress=127.0.0.1',
      `admin.serverPort=${m.ports.admin}`, 'admin.serverAddress=127.0.0.1',
      '4lw.commands.whitelist=*',
      ...lines,
    ].join('\n') + '\n');
    configs.set(m.id, cfg);
  }
  return configs;
}
