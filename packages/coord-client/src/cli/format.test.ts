import { afterEach, describe, expect, it } from 'vitest';
import { EventType, KeeperState, type Stat } from '../index.js';
import { formatEvent, formatStat, hexLong, javaDate, javaList } from './format.js';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('javaDate', () => {
  it('writes dates as Java\'s Date.toString does', () => {
    process.env.TZ = 'UTC';
    expect(javaDate(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(javaDate(Date.UTC(2026, 10, 22, 0, 10, 5))).toBe('Sun Nov 22 00:10:05 UTC 2026');
  });

  it('uses the local zone and its short name', () => {
    process.env.TZ = 'America/New_York';
    expect(javaDate(Date.UTC(2024, 0, 5, 17, 4, 9))).toBe('Fri Jan 05 12:04:09 EST 2024');
    expect(javaDate(Date.UTC(2024, 6, 5, 17, 4, 9))).toBe('Fri Jul 05 13:04:09 EDT 2024');
    process.env.TZ = 'Europe/Berlin';
    expect(javaDate(Date.UTC(2024, 0, 5, 17, 4, 9))).toBe('Fri Jan 05 18:04:09 CET 2024');
  });

  it('falls back to a GMT offset for zones without a short name', () => {
    process.env.TZ = 'Asia/Kathmandu';
    expect(javaDate(Date.UTC(2024, 0, 5, 0, 0, 0))).toBe('Fri Jan 05 05:45:00 GMT+05:45 2024');
  });
});

describe('formatStat', () => {
  it('prints the eleven lines of zkCli\'s stat block', () => {
    process.env.TZ = 'UTC';
    const stat: Stat = {
      czxid: 2, mzxid: 0x1a, ctime: 0, mtime: Date.UTC(2026, 10, 22, 0, 10, 5), version: 2, cversion: 11,
      aversion: 1, ephemeralOwner: 0x1000024ee0d000an, dataLength: 5, numChildren: 11, pzxid: 0x18,
    };
    expect(formatStat(stat)).toBe([
      'cZxid = 0x2', 'ctime = Thu Jan 01 00:00:00 UTC 1970', 'mZxid = 0x1a', 'mtime = Sun Nov 22 00:10:05 UTC 2026',
      'pZxid = 0x18', 'cversion = 11', 'dataVersion = 2', 'aclVersion = 1', 'ephemeralOwner = 0x1000024ee0d000a',
      'dataLength = 5', 'numChildren = 11', '',
    ].join('\n'));
  });

  it('writes longs as unsigned 64-bit hex, as Long.toHexString', () => {
    expect(hexLong(0)).toBe('0x0');
    expect(hexLong(-1n)).toBe('0xffffffffffffffff');
    expect(hexLong(0x100000001)).toBe('0x100000001');
  });
});

describe('lists and events', () => {
  it('prints lists as Java does', () => {
    expect(javaList([])).toBe('[]');
    expect(javaList(['a', 'b'])).toBe('[a, b]');
  });

  it('prints events after a WATCHER:: line, each preceded by a blank line', () => {
    expect(formatEvent(KeeperState.SyncConnected, EventType.NodeDataChanged, '/x'))
      .toBe('\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/x\n');
    expect(formatEvent(KeeperState.Closed, EventType.None, null))
      .toBe('\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n');
  });
});
