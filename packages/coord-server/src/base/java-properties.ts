/** One `key=value` line of a Java properties file, with its 1-based line number. */
export interface PropertyLine {
  readonly line: number;
  readonly key: string;
  /** As Java keeps it: leading whitespace gone, trailing whitespace kept. */
  readonly value: string;
}

/** Bounds a file we read whole: a zoo.cfg or a config text has a few dozen lines. */
const MAX_LINES = 100_000;

/**
 * Splits text into lines as java.util.Properties.load does, which is how ZooKeeper reads zoo.cfg
 * and the config text in election notifications: `#` and `!` start comments; the key ends at
 * the first `=`, `:` or whitespace; then whitespace, at most one `=` or `:`, and whitespace are
 * skipped; the value keeps its trailing whitespace (ZooKeeper trims most values itself, but
 * not server lines). Backslash escapes and continuation lines are not interpreted. A line that
 * is a bare word (Java would take it as a key with an empty value) comes back as `bad`: in a
 * zoo.cfg it is a mistake.
 */
export function propertyLines(text: string): (PropertyLine | { readonly line: number; readonly bad: string })[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > MAX_LINES) throw new RangeError(`more than ${MAX_LINES} lines`);
  const out: (PropertyLine | { line: number; bad: string })[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
    const keyEnd = line.search(/[=: \t\f]/);
    if (keyEnd <= 0) {
      out.push({ line: i + 1, bad: line });
      return;
    }
    const rest = line.slice(keyEnd).replace(/^[ \t\f]*[=:]?[ \t\f]*/, '');
    out.push({ line: i + 1, key: line.slice(0, keyEnd), value: rest });
  });
  return out;
}
