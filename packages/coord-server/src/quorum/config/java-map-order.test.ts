import { describe, expect, it } from 'vitest';
import { longMapOrder, propertiesOrder } from './java-map-order.js';

// Orders observed from ZooKeeper 3.8.0 on Java 17 (QuorumPeerConfig.parse, then QuorumMaj.toString).
describe('Java hash map orders', () => {
  it('walks a HashMap<Long> by bucket: 20 (bucket 4 of 16) before 5 and 10', () => {
    expect(longMapOrder([20, 5, 10, 1])).toEqual([1, 20, 5, 10]);
    expect(longMapOrder([3, 2, 1])).toEqual([1, 2, 3]);
  });

  it('keeps insertion order inside a bucket, and grows the table past 12 entries', () => {
    expect(longMapOrder([33, 1, 17])).toEqual([33, 1, 17]);
    const ids = Array.from({ length: 13 }, (_, i) => i * 16 + 1);
    // 13 entries: the table is 32 wide, so ids split by bit 4.
    expect(longMapOrder(ids)).toEqual([...ids.filter((id) => (id & 16) === 0), ...ids.filter((id) => (id & 16) !== 0)]);
  });

  it('walks a zoo.cfg\'s Properties in ZooKeeper\'s order (server.33 before server.1 before server.17)', () => {
    const keys = ['dataDir', 'clientPort', 'initLimit', 'syncLimit', 'server.1', 'server.2', 'server.3', 'server.17', 'server.33'];
    const servers = propertiesOrder(keys).filter((k) => k.startsWith('server.'));
    expect(longMapOrder(servers.map((k) => Number(k.slice(7))))).toEqual([33, 1, 17, 2, 3]);
    expect(propertiesOrder(['a', 'b', 'a']).sort()).toEqual(['a', 'b']);
  });
});
