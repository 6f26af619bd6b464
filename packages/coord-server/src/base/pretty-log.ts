/** pino's numeric levels, as a person reads them. */
const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

/** Fields every line has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'component']);

function fieldText(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino JSON line as a person reads it, ZooKeeper's console layout in spirit:
 * `2026-01-02T03:04:05.678Z INFO  [admin] admin server listening host=127.0.0.1 port=8080`,
 * time in ISO 8601 (UTC), then the fields; an error's stack follows on its own lines.
 * A line that is not pino's JSON is passed through as it is.
 */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString() : String(o.time ?? '');
  const level = LEVELS[o.level as number] ?? String(o.level);
  let out = `${time} ${level}${o.component ? ` [${String(o.component)}]` : ''} ${String(o.msg ?? '')}`;
  let stack = '';
  for (const [k, v] of Object.entries(o)) {
    if (HEAD.has(k)) continue;
    const err = v as { message?: unknown; stack?: unknown } | null;
    if (k === 'err' && err && typeof err === 'object' && typeof err.message === 'string') {
      out += ` err=${fieldText(err.message)}`;
      if (typeof err.stack === 'string') stack = `\n    ${err.stack.split('\n').slice(1).map((l) => l.trim()).join('\n    ')}`;
    } else {
      out += ` ${k}=${fieldText(v)}`;
    }
  }
  return `${out}${stack.trimEnd()}\n`;
}
