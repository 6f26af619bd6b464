/**
 * Raised when bytes do not form a valid jute record: a read past the frame, a negative or
 * oversized length. Servers map it to MarshallingError and close only the offending connection.
 */
export class JuteError extends Error {
  override readonly name: string = 'JuteError';
}
