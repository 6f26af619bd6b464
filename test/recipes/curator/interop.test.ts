import { describe } from 'vitest';
import { paddockEnsembleTarget } from '../../ensemble/support/ensemble-target.js';
import { startPaddock } from '../../support/paddock.js';
import { skipWithoutZooKeeper, startZooKeeper } from '../../support/zookeeper.js';
import { PEER_SETTINGS } from '../recipes-suite.js';
import { skipWithoutCurator } from './curator-process.js';
import { curatorInteropTests } from './suite-interop.js';

const withoutCurator = skipWithoutCurator('recipes against real Curator');

describe.skipIf(withoutCurator)("recipes and Curator against Paddock's coord-server", () => {
  curatorInteropTests(() => startPaddock({ ...PEER_SETTINGS }));
});

describe.skipIf(withoutCurator || skipWithoutZooKeeper('recipes and Curator against Apache ZooKeeper'))('recipes and Curator against Apache ZooKeeper', () => {
  curatorInteropTests(() => startZooKeeper({ ...PEER_SETTINGS }));
});

// Issue 12: Curator and our recipes on one lock, both given the connect string of a whole ensemble.
describe.skipIf(withoutCurator)('recipes and Curator against a Paddock ensemble of 3', () => {
  curatorInteropTests(paddockEnsembleTarget(PEER_SETTINGS, { size: 3 }));
});
