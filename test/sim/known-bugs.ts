/**
 * Runtime bugs the simulator found and reported, not fixed yet (the runtime is not ours to
 * edit): a schedule that hits one is counted and printed, not failed, so npm test stays green
 * while each keeps a red-by-design regression test (regressions.test.ts, it.fails). When the
 * fix lands, that test fails: delete its row here and turn it into a plain `it`.
 */
export interface KnownBug {
  readonly id: string;
  readonly summary: string;
  readonly matches: (violation: string) => boolean;
}

/** None open: the two the simulator found (a NEWLEADER snapshot left without its epoch, a window of recent txns with a hole) are fixed; regressions.test.ts keeps their schedules. */
const KNOWN_BUGS: readonly KnownBug[] = [];

/** The known bug a violation is, or undefined. */
export function knownBug(violation: string): KnownBug | undefined {
  return KNOWN_BUGS.find((b) => b.matches(violation));
}
