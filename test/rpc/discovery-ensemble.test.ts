import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { startPaddockEnsemble } from '../ensemble/support/suite-ensemble.js';
import { discoverySuite } from './discovery-suite.js';

// rpc discovery through all-Paddock ensembles of 3 and 5 (issue 12), the leader killed halfway
// and restarted at once (one run per size, for the CI budget: a plain run would repeat the
// first half): providers and consumer get the connect string of every member; the outage test
// stops a whole ensemble of its own, of the same size.
describe('rpc discovery through a Paddock ensemble of 3, leader killed in the middle', () => {
  discoverySuite(paddockEnsembleTarget({}, { size: 3, killLeader: true }), () => startPaddockEnsemble(3));
});

describe('rpc discovery through a Paddock ensemble of 5, leader killed in the middle', () => {
  discoverySuite(paddockEnsembleTarget({}, { size: 5, killLeader: true }), () => startPaddockEnsemble(5));
});
