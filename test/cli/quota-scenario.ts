import { CoordClient, CreateMode, KeeperError, MultiError, type Op } from '@paddock/coord-client';
import { errorName } from '@paddock/coord-protocol';
import { runCli } from './cli-harness.js';

/**
 * One quota scenario, run the same way on any server that enforces quotas (ZooKeeper 3.8 with
 * -Dzookeeper.enforceQuota=true, Paddock with enforceQuota=true): quotas set and listed with
 * coord-cli, writes through a client, every outcome written down as a line. Two servers that
 * enforce alike give the same lines. `writeTo` is where the writes go (a follower, on an
 * ensemble); `cli` where coord-cli's commands go.
 */
export async function quotaScenario(writeTo: string, cli = writeTo): Promise<string[]> {
  const out: string[] = [];
  const zk = await CoordClient.connect(writeTo, { sessionTimeout: 10_000 });
  const step = async (name: string, f: () => Promise<unknown>): Promise<void> => {
    try {
      const r = await f();
      out.push(`${name}: ${typeof r === 'string' ? r : 'ok'}`);
    } catch (err) {
      if (err instanceof MultiError) {
        out.push(`${name}: multi failed at ${err.failedOp}: ${err.results.map((r) => ('err' in r ? errorName(r.err) : 'ok')).join(',')}`);
      } else if (err instanceof KeeperError) out.push(`${name}: ${errorName(err.code)}`);
      else throw err;
    }
  };
  const cmd = async (...args: string[]): Promise<void> => {
    const r = await runCli(['-server', cli, ...args]);
    const lines = `${r.out}${r.err}`.split('\n').filter((l) => l !== '' && !/^(Connecting to|WATCHER::|WatchedEvent)/.test(l));
    out.push(`$ ${args.join(' ')} -> ${r.code}`, ...lines.map((l) => `  ${l}`));
  };
  const stats = async (path: string): Promise<void> => {
    const { data } = await zk.getData(`/zookeeper/quota${path}/zookeeper_stats`);
    out.push(`stats ${path}: ${data.toString()}`);
  };
  try {
    await step('create /q', () => zk.create('/q'));
    await step('create /q/a', () => zk.create('/q/a', 'abc'));
    await step('create /r', () => zk.create('/r'));
    // /q: at most 4 nodes (hard), 8 bytes (soft). /r: at most 6 bytes (hard), 2 nodes (soft).
    await cmd('setquota', '-N', '4', '/q');
    await cmd('setquota', '-b', '8', '/q');
    await cmd('setquota', '-B', '6', '/r');
    await cmd('setquota', '-n', '2', '/r');
    await cmd('listquota', '/q');
    await step('create /q/b', () => zk.create('/q/b', 'de'));
    await step('create /q/s- sequential', () => zk.create('/q/s-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
    await step('create /q/c past the hard count', () => zk.create('/q/c'));
    await step('create /q/s- sequential past the hard count', () => zk.create('/q/s-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
    await step('setData /q/a past the soft bytes', () => zk.setData('/q/a', 'abcdefghij'));
    await step('delete /q/b', () => zk.delete('/q/b'));
    await step('create /q/s- sequential again', () => zk.create('/q/s-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }));
    await stats('/q');
    await step('create /r/x', () => zk.create('/r/x', 'abcd'));
    await step('setData /r/x past the hard bytes', () => zk.setData('/r/x', 'abcdefg'));
    await step('setData /r/x past the hard bytes at a wrong version', () => zk.setData('/r/x', 'abcdefg', 7));
    await step('setData /r/x at a wrong version within the bytes', () => zk.setData('/r/x', 'ab', 7));
    await step('create /r/y to the hard bytes, past the soft count', () => zk.create('/r/y', 'ab'));
    await step('create /r/z past the hard bytes', () => zk.create('/r/z', 'a'));
    await step('create /r/e empty, past the soft count only', () => zk.create('/r/e'));
    await step('setData /r/y shrinking', () => zk.setData('/r/y', ''));
    await step('create /r/z after shrinking', () => zk.create('/r/z', 'a'));
    await stats('/r');
    await multiSteps(zk, step);
    await stats('/q');
    await stats('/r');
    await cmd('create', '/q/over');
    await cmd('set', '/r/x', 'abcdefghijk');
    await cmd('listquota', '/q');
    await cmd('listquota', '/r');
    await cmd('delquota', '-N', '/q');
    await step('create /q/c with the hard count gone', () => zk.create('/q/c'));
    await cmd('delquota', '/r');
    await step('setData /r/x with the quota gone', () => zk.setData('/r/x', 'abcdefghijk'));
    await cmd('listquota', '/q');
  } finally {
    await zk.close();
  }
  return out;
}

type Step = (name: string, f: () => Promise<unknown>) => Promise<void>;

/** Multis: each op is checked against the stats from before the multi; a failed op fails them all. */
async function multiSteps(zk: CoordClient, step: Step): Promise<void> {
  const create = (path: string, data: string | null = null): Op => ({ type: 'create', path, data });
  const setData = (path: string, data: string): Op => ({ type: 'setData', path, data, version: -1 });
  // /q holds 3 of its 4 nodes: each create of the pair fits alone, so both are made.
  await step('delete /q/a', () => zk.delete('/q/a'));
  await step('multi [create /q/m1, create /q/m2]', () => zk.multi([create('/q/m1'), create('/q/m2')]));
  await step('multi [create /q/m3]', () => zk.multi([create('/q/m3')]));
  await step('multi [setData /r/z, create /r/w past the hard bytes]', () => zk.multi([setData('/r/z', ''), create('/r/w', 'ab')]));
  await step('multi [setData /r/z "", setData /r/z "a"]', () => zk.multi([setData('/r/z', ''), setData('/r/z', 'a')]));
  await step('multi [setData /r/z "ab"]', () => zk.multi([setData('/r/z', 'ab')]));
  await step('multi [delete /r/z, create /r/z "ab"]', () => zk.multi([{ type: 'delete', path: '/r/z', version: -1 }, create('/r/z', 'ab')]));
}
