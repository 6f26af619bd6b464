/**
 * A configuration the server will not run with: a bad zoo.cfg line, myid or epoch file. The
 * message is one line naming the file (and line) and the bad value. It sits in base/ because
 * config/ (zoo.cfg) and quorum/config/ (server lines, epoch files) both throw it.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
