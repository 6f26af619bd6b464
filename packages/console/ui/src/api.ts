/** The console's API, relative to the page (/console). */
const BASE = '/console/api';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface Credentials {
  csrf: string | null;
  header: string;
}

/** Set at log-in: every change carries the login's CSRF token in this header. */
export const credentials: Credentials = { csrf: null, header: 'x-paddock-csrf' };

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && credentials.csrf !== null) headers[credentials.header] = credentials.csrf;
  const res = await fetch(BASE + path, {
    method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, 'BAD_ANSWER', `HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const e = json as { error?: string; code?: string } | null;
    throw new ApiError(res.status, e?.code ?? 'HTTP', e?.error ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export const q = (params: Record<string, string | number | undefined>): string =>
  `?${new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString()}`;

/** What the page learns once at start (the registry root its live updates look under). */
export const settings = { root: '/services' };
