import { HttpError } from '../http-error.js';

/** Request bodies are JSON objects; anything else is a clear 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'BAD_REQUEST', 'the request body must be a JSON object (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

export function optionalString(o: Record<string, unknown>, name: string): string | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, 'BAD_REQUEST', `${name} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function requiredString(o: Record<string, unknown>, name: string): string {
  const v = optionalString(o, name);
  if (v === undefined) throw new HttpError(400, 'BAD_REQUEST', `${name} is required`);
  return v;
}

/** An integer query or body field within bounds; `fallback` when absent. */
export function intField(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback;
    throw new HttpError(400, 'BAD_REQUEST', `${name} is required`);
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'BAD_REQUEST', `${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Query strings as fastify hands them over. */
export type Query = Readonly<Record<string, string | undefined>>;
