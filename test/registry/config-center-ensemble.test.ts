import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { configSuite } from './config-suite.js';

// The config center suite against all-Paddock ensembles (issue 12), with startPaddock's
// defaults. The killed leader restarts at once and rejoins under the second half's traffic. At
// 5 only the killed run: a plain one would repeat its first half (CI budget).
describe('config center against a Paddock ensemble of 3', () => {
  configSuite(paddockEnsembleTarget({}, { size: 3 }));
});

describe('config center against a Paddock ensemble of 3, leader killed in the middle', () => {
  configSuite(paddockEnsembleTarget({}, { size: 3, killLeader: true }));
});

describe('config center against a Paddock ensemble of 5, leader killed in the middle', () => {
  configSuite(paddockEnsembleTarget({}, { size: 5, killLeader: true }));
});
