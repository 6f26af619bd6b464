import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { startPaddockEnsemble } from '../ensemble/support/suite-ensemble.js';
import { discoverySuite } from './discovery-suite.js';

// rpc discovery through an all-Paddock ensemble of 3 (issue 12), the leader killed halfway (one
// run only, for the CI budget): providers and consumer get the connect string of every member;
// the outage test stops a whole ensemble of its own.
describe('rpc discovery through a Paddock ensemble of 3, leader killed in the middle', () => {
  discoverySuite(paddockEnsembleTarget({}, { size: 3, killLeader: true }), () => startPaddockEnsemble(3));
});
