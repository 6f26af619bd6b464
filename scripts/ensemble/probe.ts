import { connect, createServer } from 'node:net';

/** A four-letter word's answer, or '' when the port does not answer within `timeoutMs`. */
function fourLetterWord(port: number, word: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * `srvr`'s Mode (leader, follower, observer) once the server serves clients; undefined before
 * that (a member electing or syncing answers that it is not serving).
 */
export async function serverMode(port: number): Promise<string | undefined> {
  const srvr = await fourLetterWord(port, 'srvr', 1000);
  return /^Mode: (\w+)$/m.exec(srvr)?.[1];
}

/** Whether something on this machine already holds 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(false)));
  });
}
