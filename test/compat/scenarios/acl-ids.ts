import { Perms, type ACL } from '@paddock/coord-protocol';
import { SUPER_CREDENTIAL, digestId } from '../super-user.js';

/** ACL entries and credentials the acl-* scenario files share (not a scenario file itself). */

export { SUPER_CREDENTIAL, digestId };
export const { READ, WRITE, CREATE, DELETE, ADMIN, ALL } = Perms;

export const entry = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });
export const anyone = (perms: number): ACL => entry(perms, 'world', 'anyone');
export const ip = (perms: number, expr: string): ACL => entry(perms, 'ip', expr);
export const byAuth = (perms: number, id = ''): ACL => entry(perms, 'auth', id);

/** Two digest users: `ALICE` is the addAuth credential, `alice(perms)` the ACL entry granting it. */
export const ALICE = 'alice:alice-pw';
export const BOB = 'bob:bob-pw';
export const alice = (perms: number): ACL => entry(perms, 'digest', digestId('alice', 'alice-pw'));
export const bob = (perms: number): ACL => entry(perms, 'digest', digestId('bob', 'bob-pw'));
