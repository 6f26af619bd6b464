import semver from 'semver';

/**
 * Which provider versions and groups a consumer accepts, compiled once: a version spec is an
 * exact version (1.2.0), "*" or a semver range (^1.2, >=1.0.0 <2); a group spec is one group,
 * a comma-separated list or "*". The same rules as the registry's discovery filter, so a
 * provider discovered for a spec also accepts calls made with it.
 */
export type Matcher = (value: string) => boolean;

const ANY = '*';
const MAX_SPEC = 256;
const anything: Matcher = () => true;

/** Returns null for a spec that is not a version, "*" or a range. */
export function compileVersionSpec(spec: string): Matcher | null {
  if (typeof spec !== 'string' || spec.length > MAX_SPEC || spec.trim() === '') return null;
  if (spec === ANY) return anything;
  if (semver.valid(spec) === spec) return (v) => semver.valid(v) !== null && semver.eq(v, spec);
  const range = semver.validRange(spec);
  if (range === null) return null;
  const compiled = new semver.Range(range);
  return (v) => compiled.test(v);
}

/** Returns null for an empty spec. */
export function compileGroupSpec(spec: string): Matcher | null {
  if (typeof spec !== 'string' || spec.length > MAX_SPEC) return null;
  if (spec === ANY) return anything;
  const groups = spec.split(',').map((g) => g.trim());
  if (groups.some((g) => g === '')) return null;
  if (groups.length === 1) {
    const only = groups[0];
    return (g) => g === only;
  }
  const set = new Set(groups);
  return (g) => set.has(g);
}

/** Highest first, for picking the newest matching export. */
export function compareVersionsDescending(a: string, b: string): number {
  return semver.rcompare(a, b);
}
