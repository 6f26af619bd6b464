// The edges every Paddock package is driven through: time, logging, retry pacing, randomness,
// coalesced socket writes, the argument kit both command lines share (cli/),
// and the one error for a bad option. Nothing here imports another package of ours.
export { systemClock, unrefClock, type Clock, type TimerHandle } from './clock.js';
export { ManualClock } from './manual-clock.js';
export { silentLogger, type LogFn, type Logger } from './logger.js';
export { Backoff, backoffDelay, type BackoffPolicy } from './backoff.js';
export { seededRandom, seedFromEnv, type RandomSource } from './random.js';
export { writeCoalesced } from './coalesce.js';
export { OptionError, OPTION_ERROR_CODE, checkOption, type OptionMessage } from './option-error.js';
export { CliError, ExitCode, usageError } from './cli/cli-error.js';
export { flagHelp, flagValue, parseFlags, type FlagMode, type FlagSpec, type ParsedFlags } from './cli/flags.js';
export {
  CLI_DEFAULTS, COMMON_FLAGS, CONNECTION_FLAGS, connectionSettings, parseTimeoutMs, type ConnectionSettings,
} from './cli/connection.js';
