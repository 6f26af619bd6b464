import { OptionError, silentLogger, type Logger } from '@paddock/edges';
import { DEFAULT_ROOT } from '@paddock/registry';

/**
 * What the console can tell about the server itself: the AdminServer's commands, by ZooKeeper's
 * names (`monitor`, `server_stats`, `connections`, `dump`, `watches`), answered in-process when
 * the console is mounted on Paddock's AdminServer, or over HTTP from any AdminServer.
 */
export interface ServerView {
  /** Shown on the pages: where the numbers come from. */
  readonly label: string;
  /** The command's JSON body; rejects when the server cannot answer it. */
  command(name: string): Promise<Record<string, unknown>>;
}

export interface ConsoleOptions {
  /** The coordination service the console reads and changes: `host:port[,host:port...][/chroot]`. */
  readonly connectString: string;
  /** Parent of the service nodes; default /services (as the registry's `root`). */
  readonly root?: string;
  /**
   * A secret that allows changes when presented (log-in form, or `Authorization: Bearer`).
   * Without one, only digest identities can change anything, as far as the znodes' ACLs allow.
   */
  readonly token?: string;
  /** Server internals; without them the Overview and Sessions pages say what they cannot show. */
  readonly server?: ServerView;
  /** Every change is logged here with who made it. */
  readonly logger?: Logger;
  /** Session timeout of the console's own sessions, ms; default 30000. */
  readonly sessionTimeout?: number;
}

export interface ResolvedConsoleOptions {
  readonly connectString: string;
  readonly root: string;
  readonly token: string | null;
  readonly server: ServerView | null;
  readonly logger: Logger;
  readonly sessionTimeout: number;
}

/** A token shorter than this is refused: it would be guessed. */
const MIN_TOKEN_LENGTH = 16;

export function resolveConsoleOptions(o: ConsoleOptions): ResolvedConsoleOptions {
  if (typeof o.connectString !== 'string' || o.connectString.length === 0) {
    throw new OptionError('connectString', o.connectString, { message: `console: connectString must be host:port[,...][/chroot], got ${JSON.stringify(o.connectString)}` });
  }
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length < MIN_TOKEN_LENGTH)) {
    throw new OptionError('token', '<hidden>', { message: `console: the token must be at least ${MIN_TOKEN_LENGTH} characters` });
  }
  return {
    connectString: o.connectString,
    root: o.root ?? DEFAULT_ROOT,
    token: o.token ?? null,
    server: o.server ?? null,
    logger: o.logger ?? silentLogger,
    sessionTimeout: o.sessionTimeout ?? 30_000,
  };
}
