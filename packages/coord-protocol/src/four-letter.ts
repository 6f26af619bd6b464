/** The four-letter words ZooKeeper answers on its client port. */
export const FOUR_LETTER_WORDS = [
  'ruok', 'stat', 'srvr', 'mntr', 'conf', 'cons', 'crst', 'srst', 'envi', 'dump',
  'wchs', 'wchc', 'wchp', 'isro', 'dirs', 'gtmk', 'stmk', 'hash',
] as const;
export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

const byInt = new Map<number, FourLetterWord>(
  FOUR_LETTER_WORDS.map((w) => [Buffer.from(w, 'latin1').readInt32BE(0), w]),
);

/**
 * A new connection's first four bytes are read as a frame length; when they spell a
 * four-letter word instead, the connection is a command (as in ZooKeeper's NIOServerCnxn).
 */
export function fourLetterWordOf(firstInt: number): FourLetterWord | undefined {
  return byInt.get(firstInt);
}
