import { longMapOrder, propertiesOrder } from './java-map-order.js';
import { formatServerSpec, type QuorumServerSpec } from './server-spec.js';

/**
 * The ensemble as ZooKeeper 3.8's QuorumMaj sees it: every server, the voters (participants)
 * and observers, the config version, and the majority rule. `text` is what ZooKeeper stores
 * in /zookeeper/config and sends in election notifications, byte for byte.
 */
export class QuorumVerifier {
  /** In ZooKeeper's printed order (see java-map-order.ts), not by id. */
  readonly servers: readonly QuorumServerSpec[];
  readonly voters: ReadonlySet<number>;
  readonly observers: ReadonlySet<number>;
  readonly text: string;
  private readonly byId: ReadonlyMap<number, QuorumServerSpec>;

  /**
   * `servers` with `keys`: every key of the properties they came from (zoo.cfg or a config
   * text), in file order, which decides ZooKeeper's printed order, and the key each server was
   * read from when it is not `server.<id>` (`server.01`). Ids must be unique.
   */
  constructor(servers: readonly QuorumServerSpec[], keys: readonly string[], readonly version = 0, keyOf: ReadonlyMap<number, string> = new Map()) {
    this.byId = new Map(servers.map((s) => [s.id, s]));
    if (this.byId.size !== servers.length) throw new RangeError('QuorumVerifier: server ids must be unique');
    const idOfKey = new Map(servers.map((s) => [keyOf.get(s.id) ?? `server.${s.id}`, s.id]));
    const walked = propertiesOrder([...keys, ...idOfKey.keys()]);
    const inserted = walked.flatMap((k) => (idOfKey.has(k) ? [idOfKey.get(k)!] : []));
    this.servers = longMapOrder(inserted).map((id) => this.byId.get(id)!);
    this.voters = new Set(servers.filter((s) => s.role === 'participant').map((s) => s.id));
    this.observers = new Set(servers.filter((s) => s.role === 'observer').map((s) => s.id));
    this.text = formatConfigText(this.servers, version);
  }

  server(id: number): QuorumServerSpec | undefined {
    return this.byId.get(id);
  }

  /** More than half of the voters are in `ids` (ids that are not voters do not count). */
  isQuorum(ids: Iterable<number>): boolean {
    let votes = 0;
    for (const id of new Set(ids)) if (this.voters.has(id)) votes++;
    return votes > Math.floor(this.voters.size / 2);
  }
}

/** QuorumMaj.toString: a `server.N=…` line per server, then `version=<hex>`, no final newline. */
function formatConfigText(servers: readonly QuorumServerSpec[], version: number): string {
  return servers.map((s) => `server.${s.id}=${formatServerSpec(s)}\n`).join('') + `version=${version.toString(16)}`;
}
