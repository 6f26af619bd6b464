import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Bytes read per poll at most (a member's log grows by far less between two polls). */
const CHUNK = 1024 * 1024;

/**
 * Watches a member's log for a line written from now on, reading only what was appended
 * since the last poll, so a test can act the moment a server says something (a sync began).
 */
export class LogWatch {
  private offset: number;
  private tail = '';

  constructor(private readonly path: string) {
    this.offset = sizeOf(path);
  }

  /** True once a line matching `pattern` appears, false after `ms` without one. */
  async waitFor(pattern: RegExp, ms: number, pollMs = 5): Promise<boolean> {
    const end = Date.now() + ms;
    for (;;) {
      if (this.readNew().some((line) => pattern.test(line))) return true;
      if (Date.now() >= end) return false;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** How many lines appended since the last read match `pattern`. */
  count(pattern: RegExp): number {
    return this.readNew().filter((line) => pattern.test(line)).length;
  }

  /** The complete lines appended since the last read. */
  private readNew(): string[] {
    const size = sizeOf(this.path);
    if (size < this.offset) this.offset = 0; // a new file in its place
    if (size === this.offset) return [];
    const buf = Buffer.alloc(Math.min(CHUNK, size - this.offset));
    const fd = openSync(this.path, 'r');
    try {
      this.offset += readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const lines = (this.tail + buf.toString('utf8')).split('\n');
    this.tail = lines.pop() ?? '';
    return lines;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
