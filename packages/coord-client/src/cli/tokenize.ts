/**
 * Splits a shell line into words the way zkCli does, so a script behaves the same in both:
 *
 * - words are separated by whitespace;
 * - a word that *starts* with `"` or `'` runs to the next same quote, which may be right after
 *   it (`""` is an empty word) and may be followed directly by another word (`"a"b` → `a`, `b`);
 * - a quote inside a word is an ordinary character (`it's` stays `it's`);
 * - an opening quote that is never closed is dropped (`"abc` → `abc`).
 *
 * There is no escaping: zkCli has none either.
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const close = line.indexOf(c, i + 1);
      if (close < 0) {
        i++;
      } else {
        words.push(line.slice(i + 1, close));
        i = close + 1;
      }
    } else {
      let end = i + 1;
      while (end < line.length && !isSpace(line[end] as string)) end++;
      words.push(line.slice(i, end));
      i = end;
    }
  }
  return words;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}
