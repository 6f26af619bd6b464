import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { PEER_SETTINGS } from './registry-context.js';
import { registrySuite } from './registry-suite.js';

// The registry suite against all-Paddock ensembles of 3 and 5 (issue 12): the connect string
// lists every member; the leader is killed halfway and restarted at once, so the first half
// runs on all members and the rest through the failover while the old leader rejoins. One run
// per size: a plain run would repeat the first half (CI budget).
describe('registry against a Paddock ensemble of 3, leader killed in the middle', () => {
  registrySuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 3, killLeader: true }));
});

describe('registry against a Paddock ensemble of 5, leader killed in the middle', () => {
  registrySuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 5, killLeader: true }));
});
