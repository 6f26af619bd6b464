import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../ensemble/support/ensemble-target.js';
import { PEER_SETTINGS, clientSuite } from './client-suite.js';

// The client suite against all-Paddock ensembles (issue 12): the connect string lists every
// member; proxied tests go through one member. The killed leader restarts at once and rejoins
// under the second half's traffic. At 5 only the killed run: a plain one would repeat its
// first half (CI budget).
describe('coord-client against a Paddock ensemble of 3', () => {
  clientSuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 3 }));
});

describe('coord-client against a Paddock ensemble of 3, leader killed in the middle', () => {
  clientSuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 3, killLeader: true }));
});

describe('coord-client against a Paddock ensemble of 5, leader killed in the middle', () => {
  clientSuite(paddockEnsembleTarget(PEER_SETTINGS, { size: 5, killLeader: true }));
});
