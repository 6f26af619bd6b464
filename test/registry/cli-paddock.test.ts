import { describe } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { registryCliSuite } from './cli-suite.js';

describe('registry CLI commands against our server', () => {
  registryCliSuite(() => startPaddock());
});
