import { freePort } from '../../support/ports.js';
import { type LinkState, PeerProxy } from './peer-proxy.js';

/** A server's real peer ports (its own server.N line keeps them). */
export interface PeerPorts {
  readonly quorum: number;
  readonly election: number;
}

/** One direction of a link with the state to put it in. */
export interface LinkRule {
  readonly from: number;
  readonly to: number;
  readonly state: LinkState;
}

const key = (from: number, to: number): string => `${from}>${to}`;

/**
 * Every peer link of an ensemble through proxies the test controls. Server `i` dials server
 * `j` at a quorum and an election port of its own (zoo.cfg of `i` lists `j` there; its own
 * line keeps its real ports: with reconfig off and every config at version 0, ZooKeeper 3.8
 * accepts configs that differ so), and each direction of each pair has a state. Partitions
 * are sets of those states; `heal()` passes everything again.
 */
export class FaultNet {
  private readonly states = new Map<string, LinkState>();
  private readonly proxies = new Map<string, { quorum: PeerProxy; election: PeerProxy }>();
  private real = new Map<number, PeerPorts>();

  private constructor(readonly ids: readonly number[]) {}

  /** Opens the proxies of servers `ids` (two per ordered pair); none forwards before route(). */
  static async open(ids: readonly number[]): Promise<FaultNet> {
    const net = new FaultNet(ids);
    const ports = new Map<string, { quorum: number; election: number }>();
    for (const from of ids) for (const to of ids) if (from !== to) ports.set(key(from, to), { quorum: await freePort(), election: await freePort() });
    try {
      for (const [k, p] of ports) {
        const [from, to] = k.split('>').map(Number) as [number, number];
        const back = ports.get(key(to, from))!.election;
        const route = (kind: keyof PeerPorts, dialBack?: string) => ({
          from, to, dialBack, target: () => net.real.get(to)?.[kind], state: (a: number, b: number) => net.state(a, b),
        });
        net.proxies.set(k, {
          quorum: await PeerProxy.open(route('quorum'), p.quorum),
          election: await PeerProxy.open(route('election', `127.0.0.1:${back}`), p.election),
        });
      }
    } catch (e) {
      await net.close();
      throw e;
    }
    return net;
  }

  /** Where each server really listens; the proxies forward from then on. */
  route(real: ReadonlyMap<number, PeerPorts>): void {
    this.real = new Map(real);
  }

  /** server.N lines for `self`'s zoo.cfg: its own real ports, the others at the proxies it dials through. */
  serverLines(self: number, real: ReadonlyMap<number, PeerPorts>): string[] {
    return this.ids.map((id) => {
      const p = id === self ? real.get(id) : this.proxyPorts(self, id);
      if (!p) throw new Error(`no ports for server ${id}`);
      return `server.${id}=127.0.0.1:${p.quorum}:${p.election}`;
    });
  }

  /** The ports `from` dials `to` at. */
  proxyPorts(from: number, to: number): PeerPorts {
    const p = this.proxies.get(key(from, to));
    if (!p) throw new Error(`no link ${from} -> ${to} among servers ${this.ids.join(', ')}`);
    return { quorum: p.quorum.port, election: p.election.port };
  }

  state(from: number, to: number): LinkState {
    return this.states.get(key(from, to)) ?? 'pass';
  }

  /** Puts the given directions in their states (the others keep theirs). */
  set(rules: readonly LinkRule[]): void {
    for (const r of rules) {
      if (!this.proxies.has(key(r.from, r.to))) throw new Error(`no link ${r.from} -> ${r.to} among servers ${this.ids.join(', ')}`);
      this.states.set(key(r.from, r.to), r.state);
    }
    this.applyAll();
  }

  /** Every link passes again; held bytes go through. */
  heal(): void {
    this.states.clear();
    this.applyAll();
  }

  /** The links not passing, e.g. `1>2 drop, 2>1 drop` ('all pass' when none). */
  describe(): string {
    const rules = [...this.states].filter(([, s]) => s !== 'pass').map(([k, s]) => `${k} ${s}`);
    return rules.length === 0 ? 'all pass' : rules.join(', ');
  }

  /** Connections open through the proxies of `from` -> `to` (both ports). */
  openConnections(from: number, to: number): number {
    const p = this.proxies.get(key(from, to));
    return p ? p.quorum.open + p.election.open : 0;
  }

  private applyAll(): void {
    for (const p of this.proxies.values()) {
      p.quorum.apply();
      p.election.apply();
    }
  }

  async close(): Promise<void> {
    for (const p of this.proxies.values()) await Promise.all([p.quorum.close(), p.election.close()]);
    this.proxies.clear();
  }
}
