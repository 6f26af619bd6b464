import { describe, expect, it } from 'vitest';
import { ensembleMembers, overviewSample } from './server.js';

/** voting_view and leader as ZooKeeper 3.8's AdminServer (and ours) answer them on an ensemble of 2 voters and an observer. */
const VOTING = {
  current_config: {
    3: { server_addresses: ['127.0.0.1:2890'], election_addresses: ['127.0.0.1:3890'], client_address: '127.0.0.1:2183', learner_type: 'observer' },
    1: { server_addresses: ['127.0.0.1:2888'], election_addresses: ['127.0.0.1:3888'], client_address: '127.0.0.1:2181', learner_type: 'participant' },
    2: { server_addresses: ['127.0.0.1:2889'], election_addresses: ['127.0.0.1:3889'], client_address: '127.0.0.1:2182', learner_type: 'participant' },
  },
};

describe('the Overview\'s ensemble members', () => {
  it('lists every member in id order with its role: the leader by leader_id, voters as followers, observers by learner type', () => {
    expect(ensembleMembers(VOTING, { is_leader: false, leader_id: 2, leader_ip: '127.0.0.1' })).toEqual([
      { id: 1, role: 'follower', client: '127.0.0.1:2181', quorum: '127.0.0.1:2888', election: '127.0.0.1:3888' },
      { id: 2, role: 'leader', client: '127.0.0.1:2182', quorum: '127.0.0.1:2889', election: '127.0.0.1:3889' },
      { id: 3, role: 'observer', client: '127.0.0.1:2183', quorum: '127.0.0.1:2890', election: '127.0.0.1:3890' },
    ]);
  });

  it('says unknown for the voters while no leader is known, and lists nothing for a standalone server', () => {
    expect(ensembleMembers(VOTING, null).map((m) => m.role)).toEqual(['unknown', 'unknown', 'observer']);
    expect(ensembleMembers(VOTING, { leader_id: -1 }).map((m) => m.role)).toEqual(['unknown', 'unknown', 'observer']);
    expect(ensembleMembers({ current_config: {} }, null)).toEqual([]);
    expect(ensembleMembers(null, null)).toEqual([]);
  });

  it('puts them in the sample the Overview draws, beside the monitor numbers', async () => {
    const answers: Record<string, Record<string, unknown>> = {
      monitor: { server_state: 'follower', znode_count: 5 }, server_stats: { server_stats: { last_processed_zxid: 7 } },
      voting_view: VOTING, leader: { leader_id: 1 },
    };
    const sample = await overviewSample({ label: 'test', command: async (n) => answers[n] ?? Promise.reject(new Error(n)) });
    expect(sample).toMatchObject({ server_state: 'follower', znode_count: 5, zxid: 7 });
    expect((sample.members as { role: string }[]).map((m) => m.role)).toEqual(['leader', 'follower', 'observer']);
  });
});
