/**
 * ZooKeeper prints the ensemble in the iteration order of two Java hash maps, not sorted by id:
 * zoo.cfg (or a config text) is loaded into a java.util.Properties (a ConcurrentHashMap since
 * Java 9), whose walk decides the order the servers are put into QuorumMaj's HashMap<Long, …>,
 * whose walk is the printed order. With ids 5, 10 and 20 ZooKeeper prints server.20 first
 * (bucket 4 of 16); ids that share a bucket (1 and 17) come in the Properties' order. These two
 * functions replay both tables: the same keys in the same order give ZooKeeper's order.
 * Not replayed: bins turned into trees (9 or more entries in one bucket of a table of 64 or
 * more), which the ids and key counts of a real zoo.cfg never reach.
 */

/** Java's String.hashCode over UTF-16 code units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** ConcurrentHashMap.spread. */
function spreadString(key: string): number {
  const h = javaStringHash(key);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/**
 * The order a java.util.Properties walks its keys, given the order they were put in (a repeated
 * key keeps its first place). Properties starts a 16-bin table and doubles it when it holds
 * 3/4 of its size; a doubling keeps, in each bin, the last run of keys bound for the same half
 * in order and puts the keys before it in front of their half in reverse.
 */
export function propertiesOrder(keys: readonly string[]): string[] {
  let bins: string[][] = Array.from({ length: 16 }, () => []);
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    bins[spreadString(key) & (bins.length - 1)]!.push(key);
    if (seen.size >= bins.length - (bins.length >>> 2)) bins = transfer(bins);
  }
  return bins.flat();
}

function transfer(bins: readonly string[][]): string[][] {
  const n = bins.length;
  const next: string[][] = Array.from({ length: 2 * n }, () => []);
  bins.forEach((bin, i) => {
    if (bin.length === 0) return;
    const high = (k: string): boolean => (spreadString(k) & n) !== 0;
    let lastRun = bin.length - 1;
    while (lastRun > 0 && high(bin[lastRun - 1]!) === high(bin[bin.length - 1]!)) lastRun--;
    const lo: string[] = [];
    const hi: string[] = [];
    (high(bin[lastRun]!) ? hi : lo).push(...bin.slice(lastRun));
    for (const k of bin.slice(0, lastRun)) (high(k) ? hi : lo).unshift(k);
    next[i] = lo;
    next[i + n] = hi;
  });
  return next;
}

/** HashMap.hash of a Long: Long.hashCode (low word xor high word), then its high half folded in. */
function longHash(id: number): number {
  const h = ((id % 2 ** 32) ^ Math.floor(id / 2 ** 32)) | 0;
  return h ^ (h >>> 16);
}

/**
 * The order a HashMap<Long, …> walks its keys, given the order they were put in: buckets in
 * index order, each in insertion order. The table starts at 16 and doubles past 3/4 full, or
 * when a bucket gets a ninth entry while the table is under 64 (Java grows the table rather than
 * make a tree); doubling keeps each bucket's order.
 */
export function longMapOrder(ids: readonly number[]): number[] {
  let bins: number[][] = Array.from({ length: 16 }, () => []);
  let size = 0;
  const grow = (): void => {
    const n = bins.length;
    const next: number[][] = Array.from({ length: 2 * n }, () => []);
    for (const bin of bins) for (const id of bin) next[longHash(id) & (2 * n - 1)]!.push(id);
    bins = next;
  };
  for (const id of ids) {
    const bin = bins[longHash(id) & (bins.length - 1)]!;
    if (bin.includes(id)) continue;
    bin.push(id);
    if (bin.length > 8 && bins.length < 64) grow();
    if (++size > bins.length * 0.75) grow();
  }
  return bins.flat();
}
