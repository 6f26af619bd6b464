/** Uniform doubles in [0, 1). `Math.random` fits; tests pass `seededRandom(seed)`. */
export type RandomSource = () => number;

/**
 * A seeded generator for tests and simulations that must replay exactly (not for
 * cryptography): mulberry32, 32 bits of state, the same seed gives the same sequence.
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed a randomized test runs with: `process.env[name]` when set (to replay a failure it
 * printed), else `fallback`, else a fresh one. A bad value throws naming the variable.
 */
export function seedFromEnv(name: string, fallback?: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback ?? Math.floor(Math.random() * 2 ** 32);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new Error(`${name} must be an integer in 0..2^32-1, got "${text}"`);
  return n;
}
