import { describe } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { PEER_SETTINGS, recipesSuite } from './recipes-suite.js';

describe("coordination recipes against Paddock's coord-server", () => {
  recipesSuite(() => startPaddock({ ...PEER_SETTINGS }));
});
