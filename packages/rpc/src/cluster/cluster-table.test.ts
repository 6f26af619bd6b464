import { describe, expect, it } from 'vitest';
import { OPTION_ERROR_CODE, OptionError } from '@paddock/edges';
import { RoundRobinLoadBalance } from '../loadbalance/round-robin.js';
import { fakes, invocation } from '../loadbalance/testing/fake-invoker.js';
import { CLUSTER_NAMES, createCluster, DEFAULT_CLUSTER } from './cluster-table.js';

describe('cluster table', () => {
  it('has the five clusters, each created under its own name', async () => {
    expect([...CLUSTER_NAMES].sort()).toEqual(['broadcast', 'failfast', 'failover', 'failsafe', 'forking']);
    expect(CLUSTER_NAMES).toContain(DEFAULT_CLUSTER);
    for (const name of CLUSTER_NAMES) {
      const cluster = createCluster(name, { loadBalance: new RoundRobinLoadBalance() });
      expect(cluster.name).toBe(name);
      expect(await cluster.invoke(fakes(1), invocation())).toBe('a');
    }
  });

  it('rejects an unknown name with an OptionError naming it and the known ones', () => {
    let error: unknown;
    try {
      createCluster('failback', { loadBalance: new RoundRobinLoadBalance() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionError);
    expect(error).toMatchObject({ code: OPTION_ERROR_CODE, option: 'cluster', value: 'failback' });
    expect((error as OptionError).message).toBe('unknown cluster "failback"; expected one of failover, failfast, failsafe, forking, broadcast');
  });
});
