/** Where the config center keeps its keys: `/config/<namespace>/<key>`, data = the JSON value. */
export const CONFIG_ROOT = '/config';

/** Longest namespace or key accepted; ZooKeeper has no such limit, but a name is not a value. */
export const MAX_NAME_LENGTH = 255;

/**
 * One znode name each: a letter or digit first (so never `.`, `..` or a hidden-looking name),
 * then letters, digits and `. _ - :`. The same rule for namespaces and keys keeps every name
 * safe to print, to pass on a command line and to use as a path segment unescaped.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Why `name` cannot be a namespace or key, or null when it can. */
export function nameError(name: unknown): string | null {
  if (typeof name !== 'string') return `must be a string, got ${typeof name}`;
  if (name === '') return 'must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`;
  if (!NAME.test(name)) return 'must start with a letter or digit and hold only letters, digits and . _ - :';
  return null;
}

function show(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name) : String(name);
}

/** Throws a RangeError naming the namespace and the rule it breaks. */
export function checkNamespace(namespace: unknown): string {
  const why = nameError(namespace);
  if (why !== null) throw new RangeError(`invalid config namespace ${show(namespace)}: ${why}`);
  return namespace as string;
}

/** Throws a RangeError naming the key, its namespace and the rule it breaks. */
export function checkKey(namespace: unknown, key: unknown): string {
  checkNamespace(namespace);
  const why = nameError(key);
  if (why !== null) throw new RangeError(`invalid config key ${show(key)} in namespace ${show(namespace)}: ${why}`);
  return key as string;
}

export function namespacePath(namespace: string): string {
  return `${CONFIG_ROOT}/${checkNamespace(namespace)}`;
}

export function keyPath(namespace: string, key: string): string {
  return `${CONFIG_ROOT}/${namespace}/${checkKey(namespace, key)}`;
}
