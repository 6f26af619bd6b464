import { Perms, type ACL } from '../index.js';

/**
 * ACLs as zkCli writes them: `scheme:id:perms[,scheme:id:perms...]`. The id is everything
 * between the first and the last colon, so `digest:user:hash:rw`, `ip:10.0.0.0/8:r` and
 * `auth::crwda` all read as intended. Perms are letters from `cdrwa`.
 */

/** Perm letters in the order zkCli prints them. */
const PERM_LETTERS: readonly (readonly [string, number])[] = [
  ['c', Perms.CREATE], ['d', Perms.DELETE], ['r', Perms.READ], ['w', Perms.WRITE], ['a', Perms.ADMIN],
];
const PERM_OF = new Map(PERM_LETTERS);

export interface ParsedAcl {
  /** The entries that parsed. */
  readonly acl: ACL[];
  /** One line per problem, in zkCli's words; the ACL is unusable when there is any. */
  readonly problems: string[];
}

export function parseAcl(text: string): ParsedAcl {
  const acl: ACL[] = [];
  const problems: string[] = [];
  for (const entry of splitLikeJava(text)) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first < 0 || first === last) {
      problems.push(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const letter of entry.slice(last + 1)) {
      const bit = PERM_OF.get(letter);
      if (bit === undefined) problems.push(`Unknown perm type: ${letter}`);
      else perms |= bit;
    }
    acl.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return { acl, problems };
}

/** Java's String.split(","): trailing empty entries go, unless nothing else is left of a string without commas. */
function splitLikeJava(text: string): string[] {
  if (!text.includes(',')) return [text];
  const parts = text.split(',');
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

export function permString(perms: number): string {
  let s = '';
  for (const [letter, bit] of PERM_LETTERS) if ((perms & bit) !== 0) s += letter;
  return s;
}

/** The two lines zkCli prints per entry: the Id as jute's CSV text, then the perms. */
export function formatAclEntry(entry: ACL): string {
  return `'${csvEscape(entry.id.scheme)},'${csvEscape(entry.id.id)}\n: ${permString(entry.perms)}\n`;
}

const CSV_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '%00', '\n': '%0A', '\r': '%0D', ',': '%2C', '}': '%7D', '%': '%25',
};

function csvEscape(s: string): string {
  return s.replace(/[\0\n\r,}%]/g, (c) => CSV_ESCAPES[c] ?? c);
}
