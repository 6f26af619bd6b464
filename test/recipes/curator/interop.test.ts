import { describe } from 'vitest';
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
