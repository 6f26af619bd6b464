import { describe } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { discoverySuite } from './discovery-suite.js';

describe("rpc discovery through Paddock's coord-server", () => {
  discoverySuite(() => startPaddock(), () => startPaddock());
});
