import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * Runs `fn` with V8's sampling profiler on this process (the bench driver) and writes the
 * profile to `dir/driver.cpuprofile`, the format `node --cpu-prof` writes for the server.
 */
export async function withDriverProfile<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, 'driver.cpuprofile'), JSON.stringify(profile));
    session.disconnect();
  }
}
