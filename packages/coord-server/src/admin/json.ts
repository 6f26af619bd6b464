/**
 * JSON text for admin responses. Session ids are 64-bit and ZooKeeper prints them as exact
 * JSON numbers (72057797490376704); a JS number would round them and JSON.stringify refuses
 * bigints, so this writer prints bigints as their exact digits. Everything else is JSON.stringify.
 */
export function toJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
