/**
 * What the checker needs to know about the object a history was recorded against: a pure,
 * sequential specification. The checker never looks inside states or ops; it asks the model.
 */
export interface Model<S, I, O> {
  readonly name: string;
  /**
   * The independent object an op touches (P-compositionality): ops in different partitions
   * never constrain each other, so each partition is checked alone. Throws an OptionError
   * for an op the model cannot place.
   */
  partition(input: I): string;
  /** The state of a partition before the history starts. */
  init(partition: string): S;
  /**
   * Every state `input` may lead to from `state` when it returned `output`; `undefined` output
   * means no reply came (any outcome). An empty list means the op cannot have returned that
   * from that state. More than one state is allowed (a nondeterministic outcome).
   */
  step(state: S, input: I, output: O | undefined): readonly S[];
  /** A canonical text of a state: equal states give equal keys (memoization relies on it). */
  key(state: S): string;
  /**
   * True for ops that never change the state (the checker may drop them, or relax when they
   * may be seen, as the read mode says).
   */
  isRead(input: I): boolean;
  /** Throws an OptionError naming `where` when an op's input or output is malformed. */
  validate(input: I, output: O | undefined, where: string): void;
  /** One line for a counterexample, e.g. `setData /a "x" v=-1 → ok v=3`. */
  describe(input: I, output: O | undefined): string;
}
