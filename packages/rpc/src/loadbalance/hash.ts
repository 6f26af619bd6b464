/**
 * 32-bit string hash for the consistent-hash ring: FNV-1a over UTF-16 code units, then a 32-bit
 * avalanche mix. FNV-1a alone spreads near-identical keys ("user-1", "user-2") poorly along the
 * ring; the final mix makes every input bit affect every output bit.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** The 32-bit finalizer of MurmurHash3 (a public constant set): an avalanche mix to an unsigned int. */
function mix32(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
