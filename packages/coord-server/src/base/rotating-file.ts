import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** A file that would grow past this many bytes is rolled first. */
  readonly maxSize: number;
  /** Rolled files kept beside it: path.1 (the newest) to path.N; older ones are deleted. */
  readonly maxFiles: number;
}

/**
 * A log file rolled by size, as log4j's and logback's RollingFileAppender roll ZooKeeper's
 * zookeeper.log: path, then path.1 .. path.N, the highest the oldest. Lines are written
 * synchronously (as the stdout logger writes them), so the last line before a crash is on disk
 * and rolling happens between whole lines. Written here rather than taken from npm: pino-roll
 * names files path.N with N growing forever and brings date-fns; rotating-file-stream needs
 * Node 22.
 */
export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(readonly path: string, private readonly o: RotationOptions) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.o.maxSize) this.roll();
    writeSync(this.fd, line);
    this.size += bytes;
  }

  private roll(): void {
    closeSync(this.fd);
    const { path } = this;
    rmSync(`${path}.${this.o.maxFiles}`, { force: true });
    for (let i = this.o.maxFiles - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    if (this.o.maxFiles > 0) renameSync(path, `${path}.1`);
    else rmSync(path, { force: true });
    this.fd = openSync(path, 'a');
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
