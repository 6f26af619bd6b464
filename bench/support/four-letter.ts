import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Sends a four-letter word and collects the reply until the server closes. */
export function fourLetter(port: number, word: string, host = '127.0.0.1', timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`${word} timed out`)); }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('utf8')); });
  });
}

/**
 * Waits until a server child answers `srvr` with its version. Only srvr: it is the one word
 * both servers answer by default (4lw.commands.whitelist), and unlike ruok, which says imok as
 * soon as the port is bound, it reports a version only once sessions are accepted. `pollMs`
 * between attempts bounds how late a start is noticed (the recovery bench times starts).
 */
export async function waitUntilServing(name: string, port: number, child: ChildProcess, deadlineMs: number, pollMs = 100): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before serving on ${port}`);
    }
    const srvr = await fourLetter(port, 'srvr', '127.0.0.1', 500).catch(() => '');
    if (srvr.startsWith('Zookeeper version')) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${name} did not answer srvr on ${port} within ${deadlineMs} ms`);
}

/** Signals a child and waits for it to exit; SIGKILL after `graceMs`. Idempotent. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  if (signal === 'SIGKILL') {
    await exited;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), graceMs); });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The version a server reports in `srvr` (ZooKeeper's own, or ours), or 'unknown'. */
export async function serverVersion(port: number): Promise<string> {
  const srvr = await fourLetter(port, 'srvr').catch(() => '');
  return /^Zookeeper version: ([^,\n]+)/.exec(srvr)?.[1]?.trim() ?? 'unknown';
}
