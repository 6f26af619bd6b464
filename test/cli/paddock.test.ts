import { describe } from 'vitest';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { cliSuite } from './cli-suite.js';

describe.skipIf(await skipWithoutPaddock("coord-cli against Paddock's coord-server"))("coord-cli against Paddock's coord-server", () => {
  cliSuite(() => startPaddock());
});
