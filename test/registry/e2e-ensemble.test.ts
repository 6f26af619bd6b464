import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { E2E_TICK_MS, e2eSuite } from './e2e-suite.js';

// The registry end to end against an all-Paddock ensemble of 3 (issue 12), the leader killed
// halfway (one run only, for the CI budget). "Restarting the coordination server" is the whole
// ensemble: every member kill -9'd, then all started again.
describe('registry end to end on a Paddock ensemble of 3, leader killed in the middle', () => {
  e2eSuite('ensemble of 3, leader killed', paddockEnsembleTarget({ tickTime: E2E_TICK_MS }, { size: 3, killLeader: true }));
});
