import { describe } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { configSuite } from './config-suite.js';

describe("config center against Paddock's coord-server", () => {
  configSuite(() => startPaddock());
});
