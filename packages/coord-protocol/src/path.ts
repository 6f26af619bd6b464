/**
 * ZooKeeper's path rules (PathUtils.validatePath): absolute, no trailing slash, no empty,
 * `.` or `..` segments, no NUL, and none of the code points ZooKeeper forbids. Returns the
 * reason a path is invalid, or null when it is valid.
 */
export function pathError(path: string): string | null {
  const len = path.length;
  if (len === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (len === 1) return null;
  if (path.charCodeAt(len - 1) === 0x2f) return 'Path must not end with / character';
  let last = 0x2f;
  for (let i = 1; i < len; i++) {
    const c = path.charCodeAt(i);
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charCodeAt(i - 2) === 0x2f && (i + 1 === len || path.charCodeAt(i + 1) === 0x2f)) {
        return `relative paths not allowed @${i}`;
      }
    } else if (c === 0x2e) {
      if (path.charCodeAt(i - 1) === 0x2f && (i + 1 === len || path.charCodeAt(i + 1) === 0x2f)) {
        return `relative paths not allowed @${i}`;
      }
    } else if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      return `invalid character @${i}`;
    }
    last = c;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathError(path) === null;
}

/** Throws a RangeError naming the path and the rule it breaks. */
export function validatePath(path: string): void {
  const err = pathError(path);
  if (err !== null) throw new RangeError(`Invalid path string "${path}" caused by ${err}`);
}

/** The parent of a valid path; '/' for top-level nodes and for '/' itself. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last segment of a valid path; '' for '/'. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** ZooKeeper's sequential suffix: the parent's cversion, zero-padded to 10 digits. */
export function sequenceSuffix(n: number): string {
  // Negative after int overflow, as in ZooKeeper's String.format("%010d").
  return n < 0 ? `-${String(-n).padStart(9, '0')}` : String(n).padStart(10, '0');
}
