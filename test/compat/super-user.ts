import { createHash } from 'node:crypto';

/** The digest scheme's id for user:password: user:base64(sha1("user:password")). */
export const digestId = (user: string, password: string): string =>
  `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;

/**
 * The super user both servers of the compat suite are configured with (ZooKeeper's
 * superDigest). The runner's housekeeping session authenticates as it, so a scenario may leave
 * nodes no one else could delete; scenarios authenticate as it to show what super bypasses.
 */
const SUPER_USER = 'super';
const SUPER_PASSWORD = 'paddock-compat-super';
export const SUPER_CREDENTIAL = `${SUPER_USER}:${SUPER_PASSWORD}`;
export const SUPER_DIGEST = digestId(SUPER_USER, SUPER_PASSWORD);
