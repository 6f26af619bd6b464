import { describe, expect, it } from 'vitest';
import { CoordServer } from '../../coord-server.js';
import { optionsFromZooCfg } from '../../config/from-zoo-cfg.js';
import { parseZooCfg } from '../../config/zoo-cfg.js';
import { resolveEnsemble } from './ensemble.js';
import { parseServerSpec } from './server-spec.js';

const placed = (id: number, value: string, line = id) => ({ spec: parseServerSpec(id, value, false), where: `zoo.cfg line ${line} (server.${id}=${value})` });
const THREE = [placed(1, '127.0.0.1:2888:3888'), placed(2, '127.0.0.1:2889:3889'), placed(3, '127.0.0.1:2890:3890:observer')];

describe('resolveEnsemble', () => {
  it('fills in ZooKeeper\'s defaults and this server\'s own line, role and client address', () => {
    const e = resolveEnsemble({
      servers: [...THREE, placed(4, '127.0.0.1:2891:3891')], keys: [], standaloneEnabled: true, initLimit: 10, syncLimit: 5,
      myid: { value: 3, where: 'myid' }, clientPort: { value: { port: 2181 }, where: 'clientPort' },
    });
    expect(e.mode).toBe('quorum');
    if (e.mode !== 'quorum') return;
    expect(e.quorum).toMatchObject({
      myid: 3, role: 'observer', initLimit: 10, syncLimit: 5, cnxTimeout: 5000, quorumListenOnAllIPs: false,
      multiAddressEnabled: false, client: { host: '0.0.0.0', port: 2181 },
    });
    expect(e.quorum.self.id).toBe(3);
    expect([...e.quorum.verifier.voters]).toEqual([1, 2, 4]);
    expect(e.quorum.verifier.isQuorum([1, 3])).toBe(false);
    expect(e.quorum.verifier.isQuorum([1, 4])).toBe(true);
  });

  it('refuses an ensemble without initLimit or syncLimit, as ZooKeeper does', () => {
    const base = { servers: THREE, keys: [], standaloneEnabled: true, myid: { value: 1, where: 'myid' } };
    expect(() => resolveEnsemble({ ...base, syncLimit: 5 })).toThrow('zoo.cfg: initLimit is not set');
    expect(() => resolveEnsemble({ ...base, initLimit: 5 })).toThrow('zoo.cfg: syncLimit is not set');
  });

  it('runs a lone line for this server standalone on that line\'s client address', () => {
    const cfg = parseZooCfg('dataDir=/d\nclientPortAddress=127.0.0.1\nserver.1=127.0.0.1:2888:3888;127.0.0.1:2185\n');
    const { options } = optionsFromZooCfg({ ...cfg, serverId: 1 });
    expect(options).toMatchObject({ port: 2185, host: '127.0.0.1', serverId: 1 });
    expect(options.quorum).toBeUndefined();
    // Without myid ZooKeeper does not know which line is its own: clientPort stands.
    expect(optionsFromZooCfg(parseZooCfg('clientPort=2000\nserver.1=127.0.0.1:2888:3888;2185\n')).options.port).toBe(2000);
  });
});
