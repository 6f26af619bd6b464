import { mix32 } from './hash.js';

/**
 * Uniform doubles in [0, 1). `Math.random` fits; tests pass `seededRandom(seed)` so a run can be
 * replayed from its seed.
 */
export type RandomSource = () => number;

export const mathRandom: RandomSource = Math.random;

/**
 * A seeded generator for tests and reproducible simulations (not for cryptography): a Weyl
 * sequence (adding the 32-bit golden-ratio constant) passed through an avalanche mix.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state) / 4294967296;
  };
}
