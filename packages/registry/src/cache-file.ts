import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@paddock/edges';

/** What is kept of one service: the URLs of its valid provider and configurator nodes. */
export interface CachedService {
  readonly providers: readonly string[];
  readonly configurators: readonly string[];
  /** When the lists were read from the coordination service (ms since the epoch). */
  readonly savedAt: number;
}

const FORMAT = 'paddock-registry-cache/1';
/** A cache bigger than this is ignored on load: a bound on what a corrupt file can cost. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

interface FileShape {
  format: string;
  services: Record<string, CachedService>;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

function validEntry(v: unknown): v is CachedService {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return isStringArray(e.providers) && isStringArray(e.configurators) && typeof e.savedAt === 'number';
}

/**
 * The consumer's last good lists on disk, so a consumer started while the coordination service
 * is unreachable still finds providers. One file per process. Writes are atomic (temp file +
 * rename) and coalesced: at most one in flight, the latest state written next.
 */
export class CacheFile {
  private services = new Map<string, CachedService>();
  private writing: Promise<void> | null = null;
  private dirty = false;

  constructor(readonly path: string, private readonly logger: Logger) {}

  /** Reads the file; a missing, oversized or malformed file is logged and treated as empty. */
  async load(): Promise<void> {
    try {
      const st = await stat(this.path);
      if (st.size > MAX_CACHE_BYTES) {
        this.logger.warn({ file: this.path, bytes: st.size }, 'registry: cache file too big; ignored');
        return;
      }
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as Partial<FileShape>;
      if (parsed.format !== FORMAT || typeof parsed.services !== 'object' || parsed.services === null) {
        this.logger.warn({ file: this.path }, 'registry: cache file of an unknown format; ignored');
        return;
      }
      for (const [service, entry] of Object.entries(parsed.services)) {
        if (validEntry(entry)) this.services.set(service, entry);
        else this.logger.warn({ file: this.path, service }, 'registry: malformed cache entry; ignored');
      }
      this.logger.info({ file: this.path, services: this.services.size }, 'registry: cache file loaded');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.logger.warn({ file: this.path, err: String(err) }, 'registry: cannot read cache file; ignored');
    }
  }

  get(service: string): CachedService | undefined {
    return this.services.get(service);
  }

  /** Records a service's current lists and schedules a write. */
  set(service: string, entry: CachedService): void {
    this.services.set(service, entry);
    this.dirty = true;
    if (!this.writing) this.writing = this.writeLoop();
  }

  /** Resolves once everything recorded so far is on disk (or failed to get there, logged). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const body: FileShape = { format: FORMAT, services: Object.fromEntries(this.services) };
        const tmp = `${this.path}.${process.pid}.tmp`;
        try {
          await mkdir(dirname(this.path), { recursive: true });
          await writeFile(tmp, JSON.stringify(body));
          await rename(tmp, this.path);
        } catch (err) {
          this.logger.warn({ file: this.path, err: String(err) }, 'registry: cannot write cache file');
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
