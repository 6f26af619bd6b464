import { describe } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { PEER_SETTINGS } from './registry-context.js';
import { registrySuite } from './registry-suite.js';

describe("registry against Paddock's coord-server", () => {
  registrySuite(() => startPaddock({ ...PEER_SETTINGS }));
});
