import {
  COMMON_FLAGS, CONNECTION_FLAGS, connectionSettings, flagValue, parseFlags, type ConnectionSettings, type FlagSpec,
} from '@paddock/edges';

export interface MainArgs extends ConnectionSettings {
  /** Parent of the service nodes (the registry's `root` option). */
  readonly root: string;
  readonly help: boolean;
  readonly version: boolean;
  /** The command's words and arguments. */
  readonly command: readonly string[];
}

/** The program's options, which come before the command (the argument kit's leading mode). */
export const MAIN_FLAGS: readonly FlagSpec[] = [
  CONNECTION_FLAGS.server,
  CONNECTION_FLAGS.timeout,
  CONNECTION_FLAGS.connectTimeout,
  { names: ['--root'], key: 'root', value: '/path', help: 'parent of the service nodes (default /services)' },
  COMMON_FLAGS.help,
  COMMON_FLAGS.version,
];

/**
 * Options come before the command, so a value such as `-1` after it is an argument; `help` as
 * the first word is `--help`.
 */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  const flags = parseFlags(argv, MAIN_FLAGS, 'leading');
  const helpWord = flags.rest[0] === 'help';
  return {
    ...connectionSettings(flags),
    root: flagValue(flags, 'root') ?? '/services',
    help: flags.values.has('help') || helpWord,
    version: flags.values.has('version'),
    command: helpWord ? flags.rest.slice(1) : flags.rest,
  };
}
