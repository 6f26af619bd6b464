import { describe, expect, it } from 'vitest';
import { NodeNames } from './node-names.js';

interface Item { url: string }
const byUrl = (a: Item, b: Item): number => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

/** Fixed, so a failure replays; printed with it. */
const SEED = 42;

/** A seeded generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function names(): { nn: NodeNames<Item>; parsed: string[]; bad: string[] } {
  const parsed: string[] = [];
  const bad: string[] = [];
  const nn = new NodeNames<Item>((url) => {
    if (url.startsWith('bad')) throw new Error(`malformed ${url}`);
    parsed.push(url);
    return { url };
  }, (name) => { bad.push(name); }, byUrl);
  return { nn, parsed, bad };
}

describe('NodeNames', () => {
  it('keeps the output sorted through joins, leaves and whole new lists, parsing each name once', () => {
    const random = lcg(42);
    const { nn, parsed } = names();
    let list: string[] = [];
    let last: readonly Item[] = [];
    for (let step = 0; step < 600; step++) {
      const r = random();
      if (r < 0.4 || list.length === 0) list.push(`n${Math.floor(random() * 1e6)}`); // a join, at the end
      else if (r < 0.75) list.splice(Math.floor(random() * list.length), 1); // a leave
      else if (r < 0.8) list = [...list].sort(() => random() - 0.5); // another order (a fresh getChildren)
      else for (let k = 0; k < 18; k++) list.push(`m${step}_${k}`); // many at once: the whole list is sorted
      const before = new Map(last.map((v) => [v.url, v]));
      const out = nn.update(list);
      // Compared as text: toEqual on thousands of entries at every step would take seconds.
      const got = out.map((v) => v.url).join(' ');
      const want = [...list].sort().join(' ');
      if (got !== want) expect(got, `step ${step} of the run from seed ${SEED}`).toBe(want);
      // Values already known are the same objects; the result is a new array.
      const replaced = out.filter((v) => before.has(v.url) && before.get(v.url) !== v);
      expect(replaced).toEqual([]);
      expect(out).not.toBe(last);
      last = out;
    }
    expect(parsed.length).toBe(new Set(parsed).size);
  });

  it('skips a malformed name, reporting it once while it stays listed', () => {
    const { nn, bad } = names();
    expect(nn.update(['b', 'bad1', 'a']).map((v) => v.url)).toEqual(['a', 'b']);
    expect(nn.update(['b', 'bad1', 'a', 'c']).map((v) => v.url)).toEqual(['a', 'b', 'c']);
    expect(bad).toEqual(['bad1']);
    expect(nn.update(['c', 'a', 'd']).map((v) => v.url)).toEqual(['a', 'c', 'd']);
    expect(nn.update(['d', 'e', 'c']).map((v) => v.url)).toEqual(['c', 'd', 'e']);
    expect(nn.update([])).toEqual([]);
  });
});
