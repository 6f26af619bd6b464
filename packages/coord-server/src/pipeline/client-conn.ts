import type { Id } from '@paddock/coord-protocol';
import type { Session, SessionOwner } from '../session/session-tracker.js';
import type { Watcher } from '../watch/watch-manager.js';

/** A client connection as the pipeline sees it; `net/` provides the real one over a socket. */
export interface ClientConn extends Watcher, SessionOwner {
  session: Session | null;
  readonly authInfo: Id[];
  readonly remoteAddress: string;
  /** Queues one encoded frame; replies and events go out in the order they are sent. */
  send(frame: Buffer): void;
}
