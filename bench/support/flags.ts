/** An integer flag within [min, max]; a bad value throws naming the flag, the range and the usage. */
export function intFlag(
  flag: string, text: string | undefined, fallback: number, [min, max]: readonly [number, number], usage: string,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`--${flag} expects an integer in ${min}..${max}, got "${text}"\n${usage}`);
  return n;
}

/** `--sections a,b` (or another list flag): some of `all`, kept in their own order; none given means all. */
export function sectionsFlag<S extends string>(text: string | undefined, all: readonly S[], usage: string, flag = 'sections'): readonly S[] {
  if (text === undefined) return all;
  const picked = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const bad = picked.find((t) => !(all as readonly string[]).includes(t));
  if (bad !== undefined || picked.length === 0) throw new Error(`--${flag} takes some of ${all.join(',')}, got "${text}"\n${usage}`);
  return all.filter((s) => picked.includes(s));
}
