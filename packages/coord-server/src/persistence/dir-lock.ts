import { realpathSync, statSync } from 'node:fs';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { ExitCode, StorageError } from './data-dir.js';

/** How long a second server waits for the holder to say its pid. */
const ASK_HOLDER_MS = 2000;

/**
 * One data directory, one server: an exclusive lock held for the life of the process.
 *
 * The lock is a listening socket in Linux's abstract namespace, named after the directory's
 * device and inode (so every path to the same folder, symlinks and bind mounts included, finds
 * the same lock). The kernel lets one process bind a name and frees it the moment that process
 * ends, even by kill -9, so there is no stale lock to judge and no race to take one over (a
 * pid file has both). The holder answers whoever connects with its pid, which the second
 * server names in its refusal. Abstract names are per network namespace: servers in different
 * containers sharing one volume do not see each other's lock. Elsewhere than Linux there is no
 * abstract namespace and `acquire` holds nothing (the caller is told, to log it).
 */
export class DirLock {
  private constructor(private readonly servers: readonly Server[]) {}

  /** True where the kernel offers the lock (Linux). */
  static get supported(): boolean {
    return process.platform === 'linux';
  }

  /** Locks each distinct directory; throws a StorageError naming the directory and the holder's pid. */
  static async acquire(dirs: readonly { dir: string; role: string }[]): Promise<DirLock> {
    if (!DirLock.supported) return new DirLock([]);
    const held: Server[] = [];
    const seen = new Set<string>();
    try {
      for (const { dir, role } of dirs) {
        const name = lockName(dir);
        if (seen.has(name)) continue;
        seen.add(name);
        held.push(await lockOne(name, dir, role));
      }
    } catch (err) {
      for (const s of held) s.close();
      throw err;
    }
    return new DirLock(held);
  }

  /** Lets another server have the directories. */
  release(): Promise<void> {
    return Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  }
}

function lockName(dir: string): string {
  const st = statSync(realpathSync(dir), { bigint: true });
  return `\0paddock-data-dir:${st.dev}:${st.ino}`;
}

async function lockOne(name: string, dir: string, role: string): Promise<Server> {
  // Twice at most: a holder that exits between our bind and our question leaves the name free.
  for (let attempt = 0; ; attempt++) {
    const server = createServer((peer) => peer.end(`${process.pid}\n`));
    const bound = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(name, () => resolve(null));
    });
    if (!bound) {
      server.unref();
      return server;
    }
    if (bound.code !== 'EADDRINUSE') {
      throw new StorageError(`${role} ${dir} cannot be locked: ${bound.code ?? bound.message}`, ExitCode.unexpectedError, { cause: bound });
    }
    const pid = await askHolder(name);
    if (pid !== null || attempt > 0) {
      const who = pid !== null ? `another coord-server (pid ${pid})` : 'another coord-server';
      throw new StorageError(
        `${role} ${dir} is in use by ${who}; stop it, or give this server a data directory of its own`,
        ExitCode.unexpectedError,
      );
    }
  }
}

/** The pid the holder of `name` answers with, or null when nobody answers any more. */
function askHolder(name: string): Promise<number | null> {
  return new Promise((resolve) => {
    let text = '';
    const sock: Socket = connect(name);
    const done = (pid: number | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(pid);
    };
    const timer = setTimeout(() => done(null), ASK_HOLDER_MS);
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n') || text.length > 32) done(/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
    });
    sock.on('error', () => done(null));
    sock.on('end', () => done(/^\d+$/.test(text.trim()) ? Number(text.trim()) : null));
  });
}
