import type { AsyncCompleter } from 'node:readline';
import { COMMANDS } from './command-table.js';
import type { CliSession } from './session.js';

/** Bound on the candidates offered at once: a path with more children lists the first ones. */
const MAX_CANDIDATES = 1000;

/**
 * Tab completion at the terminal, as zkCli's JLineZNodeCompleter: the word under the cursor
 * (the last one; none after a space) completes to znode paths when it starts with `/` (the
 * children of its folder that start with its last part), else to command names. Errors (no
 * session, no such node) complete to nothing.
 */
export function shellCompleter(session: CliSession): AsyncCompleter {
  return (line, done) => {
    const word = line.endsWith(' ') ? '' : (line.split(' ').pop() ?? '');
    if (!word.startsWith('/')) {
      done(null, [[...COMMANDS.keys()].filter((c) => c.startsWith(word)).sort(), word]);
      return;
    }
    void completePath(session, word).then((paths) => done(null, [paths, word]));
  };
}

/** The paths below `word`'s folder whose names start with its last part, sorted. */
async function completePath(session: CliSession, word: string): Promise<string[]> {
  const cut = word.lastIndexOf('/');
  const folder = cut === 0 ? '/' : word.slice(0, cut);
  const prefix = word.slice(cut + 1);
  const client = session.client;
  if (!client) return [];
  try {
    const children = await client.getChildren(folder);
    const base = folder === '/' ? '/' : `${folder}/`;
    return children.filter((c) => c.startsWith(prefix)).sort().slice(0, MAX_CANDIDATES).map((c) => `${base}${c}`);
  } catch {
    return [];
  }
}
