import { OptionError } from '@paddock/edges';
import { quote } from './errors.js';

/**
 * Where the registry keeps things, the only place its paths are spelled:
 *
 *   <root>/<service>                      persistent
 *   <root>/<service>/providers/<url>      ephemeral, one per live instance
 *   <root>/<service>/consumers/<url>      ephemeral, one per subscription
 *   <root>/<service>/configurators/<url>  persistent overrides (weight, disabled)
 */
export const CATEGORIES = ['providers', 'consumers', 'configurators'] as const;
export type Category = (typeof CATEGORIES)[number];

export const DEFAULT_ROOT = '/services';

/** An absolute znode path without a trailing slash; "/" itself is refused (the root holds services). */
export function checkRoot(root: unknown): string {
  if (typeof root === 'string' && /^(\/[^/\u0000]+)+$/.test(root) && !root.split('/').some((c) => c === '.' || c === '..')) {
    return root;
  }
  throw new OptionError('root', root, { message: `invalid root ${quote(root)}: must be an absolute znode path such as /services (no trailing slash)` });
}

/** The parent of an absolute znode path ("/" for a top-level node). */
export function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

export class Layout {
  constructor(readonly root: string) {}

  service(service: string): string {
    return `${this.root}/${service}`;
  }

  category(service: string, category: Category): string {
    return `${this.root}/${service}/${category}`;
  }

  node(service: string, category: Category, name: string): string {
    return `${this.root}/${service}/${category}/${name}`;
  }
}
