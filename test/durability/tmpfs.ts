import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** A tmpfs this test mounted: a real file system that runs out of space or turns read-only on demand. */
export interface Tmpfs {
  readonly path: string;
  /** `mount -o remount,<options>`: e.g. 'ro', 'rw', 'size=16m'. */
  remount(options: string): void;
  unmount(): void;
}

function mount(args: readonly string[]): string | null {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.error?.message || `mount exited ${r.status}`).trim();
}

/**
 * Null when this process can mount a tmpfs (root, with mount(8)); else why not, after saying
 * it will skip. In CI, which runs as root, a missing tmpfs is an error instead.
 */
export function tmpfsMissing(suite: string): string | null {
  const why = process.getuid?.() !== 0 ? 'not root' : spawnSync('mount', ['--version']).status !== 0 ? 'no mount(8)' : null;
  if (why && process.env.CI) throw new Error(`CI runs as root and must be able to mount a tmpfs: ${why}`);
  if (why) console.warn(`[SKIP] ${suite}: needs a tmpfs mount (${why})`);
  return why;
}

/** Mounts a small tmpfs at `path` (see tmpfsMissing). */
export function mountTmpfs(path: string, o: { readOnly?: boolean; sizeBytes?: number } = {}): Tmpfs {
  mkdirSync(path, { recursive: true });
  const options = [`size=${o.sizeBytes ?? 1024 * 1024}`, o.readOnly ? 'ro' : 'rw'].join(',');
  const err = mount(['-t', 'tmpfs', '-o', options, 'tmpfs', path]);
  if (err) throw new Error(`mount tmpfs at ${path}: ${err}`);
  return {
    path,
    remount(more) {
      const e = mount(['-o', `remount,${more}`, path]);
      if (e) throw new Error(`remount ${path} ${more}: ${e}`);
    },
    unmount() {
      spawnSync('umount', ['-l', path]);
    },
  };
}
