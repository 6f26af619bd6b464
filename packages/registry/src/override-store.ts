import { Code, MultiError, type CoordClient, type Op } from '@paddock/coord-client';
import { RegistryError } from './errors.js';
import { ensurePath } from './ephemeral-node.js';
import { hasCode, isOutage } from './outage.js';
import { checkHost, checkPort, checkService } from './instance-fields.js';
import { fromNodeName, toNodeName } from './instance-url.js';
import type { Layout } from './layout.js';
import type { ResolvedOptions } from './options.js';
import { formatOverrideUrl, parseOverrideUrl, type Override } from './override.js';
import type { SessionKeeper } from './session-keeper.js';

export type { Override };

/** Which instances a rule is for: a host (default any), and a port on it (default any). */
export interface OverrideTarget {
  readonly host?: string;
  readonly port?: number;
}

/** Rounds of read-then-multi when another writer races us; each round is one multi. */
const MAX_ROUNDS = 10;

function sameTarget(url: string, host: string | null, port: number | null): boolean {
  try {
    const o = parseOverrideUrl(url);
    return o.host === host && o.port === port;
  } catch {
    return false; // Malformed rules of someone else are left alone.
  }
}

/**
 * Writes configurator overrides: persistent nodes, one rule per target (host, host:port or any),
 * replaced atomically (one multi deletes the target's old rules and creates the new one).
 * Waits for a connection when there is none, bounded by operationTimeoutMs.
 */
export class OverrideStore {
  constructor(private readonly keeper: SessionKeeper, private readonly layout: Layout, private readonly opts: ResolvedOptions) {}

  async set(service: string, override: Override): Promise<string> {
    const url = formatOverrideUrl(service, override);
    const rule = parseOverrideUrl(url);
    await this.replace(service, rule.host, rule.port, url);
    return url;
  }

  async clear(service: string, target: OverrideTarget): Promise<void> {
    checkService(service);
    const host = target.host === undefined ? null : checkHost(target.host);
    const port = target.port === undefined ? null : checkPort(target.port);
    await this.replace(service, host, port, null);
  }

  private async replace(service: string, host: string | null, port: number | null, url: string | null): Promise<void> {
    await this.withClient((client) => replaceOverride(client, this.layout, service, host, port, url));
  }

  /** Runs `op` on the current session, again after outages, until operationTimeoutMs is over. */
  private async withClient(op: (client: CoordClient) => Promise<void>): Promise<void> {
    const { clock, operationTimeoutMs } = this.opts;
    const deadline = clock.now() + operationTimeoutMs;
    for (;;) {
      const client = await this.nextClient(deadline - clock.now());
      try {
        await op(client);
        return;
      } catch (err) {
        if (!isOutage(err)) throw err;
        if (clock.now() >= deadline) throw new RegistryError('TIMEOUT', `no session to write to within ${operationTimeoutMs} ms`, undefined, { cause: err });
      }
    }
  }

  /** The current client once connected; rejects with TIMEOUT when none comes within `ms`. */
  private nextClient(ms: number): Promise<CoordClient> {
    const ready = (): CoordClient | null => (this.keeper.state === 'connected' ? this.keeper.client : null);
    const now = ready();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const { clock } = this.opts;
      const onState = (): void => {
        const c = ready();
        if (c) {
          clock.clearTimeout(timer);
          this.keeper.off('state', onState);
          resolve(c);
        } else if (this.keeper.state === 'closed') {
          clock.clearTimeout(timer);
          this.keeper.off('state', onState);
          reject(new RegistryError('CLOSED', 'the registry is closed'));
        }
      };
      const timer = clock.setTimeout(() => {
        this.keeper.off('state', onState);
        reject(new RegistryError('TIMEOUT', `not connected within ${this.opts.operationTimeoutMs} ms`));
      }, Math.max(0, ms));
      this.keeper.on('state', onState);
    });
  }
}

/**
 * Makes `url` the one rule for the target (host or null for any, port or null for any) under
 * the service's configurators folder, or removes the target's rules when `url` is null: one multi
 * deletes the old rules and creates the new one, read again when another writer raced us.
 * Rules of other targets, and malformed ones, are left alone.
 */
export async function replaceOverride(
  client: CoordClient, layout: Layout, service: string, host: string | null, port: number | null, url: string | null,
): Promise<void> {
  const dir = layout.category(service, 'configurators');
  const mine = url === null ? null : toNodeName(url);
  if (mine !== null) await ensurePath(client, dir);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let names: string[];
    try {
      names = await client.getChildren(dir);
    } catch (err) {
      if (mine === null && hasCode(err, Code.NoNode)) return;
      throw err;
    }
    const ops: Op[] = [];
    for (const name of names) {
      if (name !== mine && sameTarget(safeDecode(name), host, port)) ops.push({ type: 'delete', path: `${dir}/${name}`, version: -1 });
    }
    if (mine !== null && !names.includes(mine)) ops.push({ type: 'create', path: `${dir}/${mine}` });
    if (ops.length === 0) return;
    try {
      await client.multi(ops);
      return;
    } catch (err) {
      // Someone changed the rules between our read and our write: read again.
      if (!(err instanceof MultiError) || (err.code !== Code.NoNode && err.code !== Code.NodeExists)) throw err;
    }
  }
  throw new RegistryError('TIMEOUT', `overrides of ${service} kept changing under us (${MAX_ROUNDS} rounds)`, service);
}

function safeDecode(name: string): string {
  try {
    return fromNodeName(name);
  } catch {
    return '';
  }
}
