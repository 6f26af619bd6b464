/** A small seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `envVar` when set (to replay a failure), else a fresh one. */
export function seedFrom(envVar: string): number {
  const text = process.env[envVar];
  if (text === undefined || text === '') return Math.floor(Math.random() * 2 ** 32);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new Error(`${envVar} must be an integer in 0..2^32-1, got "${text}"`);
  return n;
}
