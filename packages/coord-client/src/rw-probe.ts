import { connect } from 'node:net';
import type { Clock } from '@paddock/edges';
import type { HostPort } from './connect-string.js';

/** A read-only client looks for a read-write server this often, doubling up to a minute (ZooKeeper's pingRwTimeout). */
const MIN_RW_PROBE_MS = 100;
const MAX_RW_PROBE_MS = 60_000;
/** `isro` answers in a few bytes; a server silent this long is not the one we want. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * Asks a server with the four-letter word `isro` whether it serves writes: it answers "rw"
 * or "ro". Any failure (refused, silent, garbage) counts as "not a read-write server".
 */
function isReadWriteServer(target: HostPort, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(target.port, target.host);
    let reply = '';
    const finish = (rw: boolean): void => {
      clock.clearTimeout(timer);
      sock.destroy();
      resolve(rw);
    };
    const timer = clock.setTimeout(() => finish(false), PROBE_TIMEOUT_MS);
    sock.on('connect', () => sock.end('isro'));
    sock.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (reply.length > 16) finish(false);
    });
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(reply.trim() === 'rw'));
  });
}

/**
 * Probes the candidates in turn, waiting 100 ms, then twice as long each round up to a minute,
 * until one answers "rw" (returned) or `stillWanted` turns false or `stop` settles (null).
 */
export async function findReadWriteServer(
  candidates: () => HostPort[], clock: Clock, stillWanted: () => boolean, stop: Promise<unknown>,
): Promise<HostPort | null> {
  let waitMs = MIN_RW_PROBE_MS;
  for (let turn = 0; stillWanted(); turn++) {
    await new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, waitMs);
      void stop.then(() => { clock.clearTimeout(timer); resolve(); });
    });
    waitMs = Math.min(waitMs * 2, MAX_RW_PROBE_MS);
    const hosts = candidates();
    if (!stillWanted() || hosts.length === 0) return null;
    const host = hosts[turn % hosts.length]!;
    if (await isReadWriteServer(host, clock)) return host;
  }
  return null;
}
