// The edges every Paddock package is driven through: time, logging, retry pacing, randomness,
// and the one error for a bad option. Nothing here imports another package of ours.
export { systemClock, unrefClock, type Clock, type TimerHandle } from './clock.js';
export { ManualClock } from './manual-clock.js';
export { silentLogger, type LogFn, type Logger } from './logger.js';
export { Backoff, backoffDelay, type BackoffPolicy } from './backoff.js';
export { seededRandom, seedFromEnv, type RandomSource } from './random.js';
export { OptionError, OPTION_ERROR_CODE, checkOption, type OptionMessage } from './option-error.js';
