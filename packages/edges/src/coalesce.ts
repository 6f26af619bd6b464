import type { Writable } from 'node:stream';

function uncork(stream: Writable): void {
  stream.uncork();
}

/**
 * Writes `chunk` so that the writes of one tick leave together, in one writev when the tick
 * ends, not one write(2) each: unless the stream is corked already, it is corked until then.
 * A pipelining caller that answers a burst of replies with a burst of requests makes one system
 * call instead of dozens, and its peer wakes once for them. With `firstAtOnce` the first write
 * of a tick leaves before the cork (a server fanning a watch event out to many sessions reaches
 * the first of them early); without it, it waits with the rest. Returns what `write` returned.
 */
export function writeCoalesced(stream: Writable, chunk: Buffer, firstAtOnce = false): boolean {
  if (stream.writableCorked > 0) return stream.write(chunk);
  if (!firstAtOnce) stream.cork();
  const ok = stream.write(chunk);
  if (firstAtOnce) stream.cork();
  process.nextTick(uncork, stream);
  return ok;
}
