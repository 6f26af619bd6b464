import { startPaddock } from '../support/paddock.js';

/**
 * Whether our coordination server can be started here. When it cannot (a broken build),
 * suites that need it skip with a visible warning instead of failing on `start`.
 */
let probed: Promise<string | null> | undefined;

const PROBE_MS = 15_000;

function paddockMissing(): Promise<string | null> {
  probed ??= (async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not start within ${PROBE_MS} ms`)), PROBE_MS);
    });
    const starting = startPaddock();
    try {
      const server = await Promise.race([starting, timeout]);
      await server.stop();
      return null;
    } catch (e) {
      // A server that comes up after the deadline must not outlive the probe.
      starting.then((s) => s.stop(), () => undefined).catch(() => undefined);
      return `our coord-server cannot start yet (${e instanceof Error ? e.message : String(e)})`;
    } finally {
      clearTimeout(timer);
    }
  })();
  return probed;
}

/** Logs a visible skip message when our server is unavailable; true when the suite must skip. */
export async function skipWithoutPaddock(suite: string): Promise<boolean> {
  const why = await paddockMissing();
  if (why) console.warn(`[SKIP] ${suite}: ${why}`);
  return why !== null;
}
