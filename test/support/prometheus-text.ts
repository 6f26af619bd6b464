/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests. No kept npm
 * package parses it (prom-client only writes it; parse-prometheus-text-format has had no
 * release since 2019), so this follows the format's definition: `# HELP`, `# TYPE`, samples
 * `name{label="value",...} value [timestamp]`, blank lines, escapes in label values and HELP.
 * Anything else throws, naming the line. Where Debian's promtool is installed, tests also run
 * the exposition through it (promtoolCheck), which uses Prometheus' own parser.
 */
import { spawnSync } from 'node:child_process';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  type: MetricType;
  help: string;
  readonly samples: PromSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP_LINE = new RegExp(`^# HELP (${NAME})(?: (.*))?$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(\\{.*\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
/** Sample suffixes that belong to the family of a histogram or summary. */
const SUFFIXES = ['_bucket', '_sum', '_count'];

function value(text: string, line: string): number {
  if (/^[+-]?Inf$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^NaN$/i.test(text)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad value in ${JSON.stringify(line)}`);
  return Number(text);
}

function labels(body: string | undefined, line: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body) return out;
  const inner = body.slice(1, -1);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < inner.length) {
    const m = LABEL.exec(inner);
    if (!m) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    if (m[1]! in out) throw new Error(`label ${m[1]} twice in ${JSON.stringify(line)}`);
    out[m[1]!] = m[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
  }
  return out;
}

/** The families by name; throws on anything that is not the text format. */
export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    let m: RegExpExecArray | null;
    if (line.trim() === '') continue;
    if ((m = TYPE_LINE.exec(line))) {
      const f = family(m[1]!);
      if (f.samples.length > 0) throw new Error(`TYPE after samples of ${m[1]}`);
      f.type = m[2] as MetricType;
    } else if ((m = HELP_LINE.exec(line))) {
      family(m[1]!).help = m[2] ?? '';
    } else if (line.startsWith('#')) {
      continue;
    } else if ((m = SAMPLE_LINE.exec(line))) {
      const name = m[1]!;
      const suffix = SUFFIXES.find((s) => name.endsWith(s) && families.has(name.slice(0, -s.length)));
      const owner = suffix && ['histogram', 'summary'].includes(families.get(name.slice(0, -suffix.length))!.type)
        ? name.slice(0, -suffix.length) : name;
      family(owner).samples.push({ name, labels: labels(m[2], line), value: value(m[3]!, line) });
    } else {
      throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    }
  }
  return families;
}

/** The value of a sample with exactly these labels, or undefined. */
export function sampleValue(f: PromFamily | undefined, name: string, want: Record<string, string> = {}): number | undefined {
  const keys = Object.keys(want);
  return f?.samples.find((s) => s.name === name && Object.keys(s.labels).length === keys.length
    && keys.every((k) => s.labels[k] === want[k]))?.value;
}

/**
 * Prometheus' own parser (promtool check metrics) on the text: null when it parses (its
 * naming lints, which ZooKeeper's names fail by design, are ignored), else promtool's error;
 * 'missing' without promtool (Debian's prometheus package).
 */
export function promtoolCheck(text: string): string | null | 'missing' {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
  const out = `${r.stdout}${r.stderr}`;
  // Exit 3 is lint findings only; 1 is a text it could not parse.
  if (r.status === 0 || (r.status === 3 && !/error while linting|parsing error/.test(out))) return null;
  return out.trim() || `promtool exited ${r.status}`;
}
