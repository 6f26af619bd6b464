import type { ConfigValueError, JsonValue } from './config-value.js';

interface Where {
  readonly namespace: string;
  readonly key: string;
}

/**
 * What a watch reports: the key's value, its absence, data that is not JSON (reported, the
 * watch goes on), or a read the server refused (e.g. NoAuth; the watch then waits for the next
 * change of connection or session). `version` is the znode's data version.
 */
export type ConfigUpdate =
  | (Where & { readonly kind: 'value'; readonly value: JsonValue; readonly version: number })
  | (Where & { readonly kind: 'missing' })
  | (Where & { readonly kind: 'invalid'; readonly error: ConfigValueError; readonly version: number })
  | (Where & { readonly kind: 'failed'; readonly error: Error });

export type ConfigListener = (update: ConfigUpdate) => void;
