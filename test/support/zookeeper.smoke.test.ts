import { describe, expect, it } from 'vitest';
import { fourLetter, skipWithoutZooKeeper, startZooKeeper } from './zookeeper.js';

describe.skipIf(skipWithoutZooKeeper('zookeeper peer smoke'))('zookeeper peer', () => {
  it('starts on a free loopback port and answers ruok', async () => {
    const zk = await startZooKeeper();
    try {
      expect(await fourLetter(zk.port, 'ruok')).toBe('imok');
      expect(await fourLetter(zk.port, 'nope').catch(() => '')).toBe('');
    } finally {
      await zk.stop();
    }
  });
});
