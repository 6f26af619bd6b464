import { describe } from 'vitest';
import { startCoordServerProcess } from '../../bench/support/coord-server-process.js';
import { E2E_TICK_MS, e2eSuite } from './e2e-suite.js';

describe("registry end to end on Paddock's coord-server (child process)", () => {
  e2eSuite('coord-server', () => startCoordServerProcess({ serverArgs: ['--tick-time', String(E2E_TICK_MS)] }));
});
