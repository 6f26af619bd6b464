/** The `code` of every OptionError, for callers that branch on codes rather than classes. */
export const OPTION_ERROR_CODE = 'PADDOCK_INVALID_OPTION';

/** A bad value, bounded so a huge input does not flood a message or a log. */
function describe(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = 'a function';
  else if (typeof value === 'object' && value !== null) {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  } else text = String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A message worded by the caller, for a package whose option messages read their own way. */
export interface OptionMessage {
  /** Must name the option and the value, as the standard message does. */
  readonly message: string;
}

/**
 * A bad option or argument given to any Paddock package: one class for the whole repository,
 * still `instanceof TypeError` (fastify's way), carrying a code, the option's name and the
 * value. The message says what was expected and what came: `tickTime must be an integer in
 * 1..3600000, got 0`. Outcomes of calls (a refused request, a lost connection) are never this.
 */
export class OptionError extends TypeError {
  override readonly name = 'OptionError';
  readonly code = OPTION_ERROR_CODE;

  /** `expected` completes the sentence `<option> ...`; or give the whole message. */
  constructor(readonly option: string, readonly value: unknown, expected: string | OptionMessage) {
    super(typeof expected === 'string' ? `${option} ${expected}, got ${describe(value)}` : expected.message);
  }
}

/** The checks options are made of; each returns the value (typed) or throws an OptionError. */
export const checkOption = {
  /** An integer in min..max. */
  int(option: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new OptionError(option, value, `must be an integer in ${min}..${max}`);
    }
    return value;
  },

  /** An integer of at least `min`, for counts and sizes without a natural ceiling. */
  intAtLeast(option: string, value: unknown, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new OptionError(option, value, `must be an integer >= ${min}`);
    }
    return value;
  },

  /** A finite number in min..max. */
  number(option: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new OptionError(option, value, `must be a number in ${min}..${max}`);
    }
    return value;
  },

  /** One of the listed strings. */
  oneOf<T extends string>(option: string, value: unknown, choices: readonly T[]): T {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      throw new OptionError(option, value, `must be one of ${choices.join(', ')}`);
    }
    return value as T;
  },

  /** A string with at least one character. */
  nonEmptyString(option: string, value: unknown): string {
    if (typeof value !== 'string' || value.length === 0) throw new OptionError(option, value, 'must be a non-empty string');
    return value;
  },

  boolean(option: string, value: unknown): boolean {
    if (typeof value !== 'boolean') throw new OptionError(option, value, 'must be true or false');
    return value;
  },

  function<F extends (...args: never[]) => unknown>(option: string, value: unknown): F {
    if (typeof value !== 'function') throw new OptionError(option, value, 'must be a function');
    return value as F;
  },
};
