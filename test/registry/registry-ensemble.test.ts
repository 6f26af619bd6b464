import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { PEER_SETTINGS } from './registry-context.js';
import { registrySuite } from './registry-suite.js';

// The registry suite against an all-Paddock ensemble of 3 (issue 12): the connect string lists
// every member; the leader is killed halfway, so the first half runs on all three and the rest
// through the failover. One run only: the plain run would repeat the first half (CI budget).
describe('registry against a Paddock ensemble of 3, leader killed in the middle', () => {
  registrySuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 3, killLeader: true }));
});
