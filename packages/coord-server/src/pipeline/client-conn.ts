import type { Id } from '@paddock/coord-protocol';
import type { Session, SessionOwner } from '../session/session-tracker.js';
import type { Watcher } from '../watch/watch-manager.js';

/** A client connection as the pipeline sees it; `net/` provides the real one over a socket. */
export interface ClientConn extends Watcher, SessionOwner {
  session: Session | null;
  readonly authInfo: Id[];
  readonly remoteAddress: string;
  /**
   * Queues one encoded frame; replies and events go out in the order they are sent. False
   * when the connection is closed and the frame was dropped (it does not count as sent).
   */
  send(frame: Buffer): boolean;
  /** Frames the pipeline holds for this connection until they are durable. */
  held: number;
  /** Stops (or resumes) reading requests: back-pressure when too many replies are held. */
  pauseInput(paused: boolean): void;
  /**
   * False where nobody is answered: a request a learner forwarded, whose reply the learner
   * sends its client from the commit (ZooKeeper's leader has no cnxn for it either, and
   * neither replies nor counts it). Absent means true.
   */
  readonly answered?: boolean;
}
