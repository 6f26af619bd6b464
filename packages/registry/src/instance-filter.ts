import semver from 'semver';
import { invalid } from './errors.js';
import { DEFAULT_GROUP, checkGroup } from './instance-fields.js';

/**
 * Which providers a consumer wants, compiled once per subscription: a version spec (exact
 * version, "*", or a semver range such as ^1.2 or >=1.0.0 <2) and a group spec (one group,
 * a comma-separated list, or "*").
 */
export interface InstanceFilterSpec {
  /** Default "*": any version. */
  readonly version?: string;
  /** Default "default"; "*" for any group; "a,b" for either. */
  readonly group?: string;
}

export interface InstanceFilter {
  /** The specs as given (defaults applied), for the consumer's own URL. */
  readonly version: string;
  readonly group: string;
  matches(p: { readonly version: string; readonly group: string }): boolean;
}

const ANY = '*';
/** Distinct provider versions remembered per filter; beyond it the memo starts over. */
const MEMO_LIMIT = 1024;
const MAX_SPEC = 256;

function versionTest(spec: string): (version: string) => boolean {
  if (spec === ANY) return () => true;
  if (semver.valid(spec) === spec) return (v) => semver.valid(v) !== null && semver.eq(v, spec);
  const range = spec.length <= MAX_SPEC && spec.trim() !== '' ? semver.validRange(spec) : null;
  if (range === null) {
    throw invalid('INVALID_VERSION', 'version spec', spec, 'must be a version (1.2.0), "*" or a semver range (^1.2, >=1.0.0 <2)');
  }
  const compiled = new semver.Range(range);
  return (v) => compiled.test(v);
}

function groupTest(spec: string): (group: string) => boolean {
  if (spec === ANY) return () => true;
  const groups = new Set(spec.split(',').map((g) => checkGroup(g.trim())));
  if (groups.size === 1) {
    const only = [...groups][0];
    return (g) => g === only;
  }
  return (g) => groups.has(g);
}

/** Compiles the specs; throws a RegistryError naming a bad version spec or group. */
export function compileFilter(spec: InstanceFilterSpec = {}): InstanceFilter {
  const version = spec.version ?? ANY;
  const group = spec.group ?? DEFAULT_GROUP;
  if (typeof version !== 'string') throw invalid('INVALID_VERSION', 'version spec', version, 'must be a string');
  if (typeof group !== 'string') throw invalid('INVALID_GROUP', 'group spec', group, 'must be a string');
  const testVersion = versionTest(version);
  const testGroup = groupTest(group);
  // Thousands of providers share a handful of versions: test each version once.
  const memo = new Map<string, boolean>();
  return {
    version,
    group,
    matches(p) {
      if (!testGroup(p.group)) return false;
      let ok = memo.get(p.version);
      if (ok === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        ok = testVersion(p.version);
        memo.set(p.version, ok);
      }
      return ok;
    },
  };
}
