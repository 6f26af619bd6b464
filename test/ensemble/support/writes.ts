import { CoordClient, CreateMode, KeeperError } from '@paddock/coord-client';

/** Writes in flight at once while catching a learner up. */
const IN_FLIGHT = 16;

/**
 * `count` writes of several kinds under `parent` through the server on `port`, all
 * acknowledged: creates (one ephemeral, gone when the session closes), setData rounds over ten
 * keys, deletes, so a sync carries each kind of txn. Returns once the session is closed.
 */
export async function writeMany(port: number, parent: string, tag: string, count: number): Promise<void> {
  const c = await CoordClient.connect(`127.0.0.1:${port}`, { sessionTimeout: 10_000 });
  try {
    await c.create(parent).catch((e: unknown) => {
      if (!(e instanceof KeeperError && e.codeName === 'NodeExists')) throw e;
    });
    const keys = Array.from({ length: 10 }, (_, i) => `${parent}/${tag}-${i}`);
    await Promise.all(keys.map((k) => c.create(k, Buffer.from('0'))));
    await c.create(`${parent}/${tag}-eph`, null, { mode: CreateMode.EPHEMERAL });
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        await c.setData(keys[i % keys.length]!, Buffer.from(`${tag} ${i}`));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
    await c.delete(keys[0]!);
    await c.delete(keys[1]!);
  } finally {
    await c.close();
  }
}
