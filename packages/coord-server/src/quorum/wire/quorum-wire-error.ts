import { JuteError } from '@paddock/coord-protocol';

/**
 * Bytes on the quorum port that do not form what ZooKeeper 3.8 sends: a length past the
 * limit, a long that is no safe JS number, a payload of the wrong size. The message names the
 * field and the value; the connection to that peer must close. A JuteError, like every
 * malformed-bytes error of ours.
 */
export class QuorumWireError extends JuteError {
  override readonly name: string = 'QuorumWireError';
}
