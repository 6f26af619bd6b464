import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { E2E_TICK_MS, e2eSuite } from './e2e-suite.js';

// The registry end to end against all-Paddock ensembles of 3 and 5 (issue 12), the leader
// killed halfway and restarted at once (one run per size, for the CI budget: a plain run would
// repeat the first half). "Restarting the coordination server" is the whole ensemble: every
// member kill -9'd, then all started again.
describe('registry end to end on a Paddock ensemble of 3, leader killed in the middle', () => {
  e2eSuite('ensemble of 3, leader killed', paddockEnsembleTarget({ tickTime: E2E_TICK_MS }, { size: 3, killLeader: true }));
});

describe('registry end to end on a Paddock ensemble of 5, leader killed in the middle', () => {
  e2eSuite('ensemble of 5, leader killed', paddockEnsembleTarget({ tickTime: E2E_TICK_MS }, { size: 5, killLeader: true }));
});
