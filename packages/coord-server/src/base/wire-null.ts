import { JuteError } from '@paddock/coord-protocol';

/**
 * Jute lets a client send null for any string or vector, and ZooKeeper's server reads it as
 * Java's null. Where ZooKeeper then dereferences it, it fails with a NullPointerException,
 * which its request processors answer with MarshallingError (the connection stays open).
 * `present` marks those places in our code: it passes a value through and turns a null into
 * the JuteError our pipeline answers the same way. `what` names the field for the log.
 */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new JuteError(`null ${what} (ZooKeeper fails on it with MarshallingError)`);
  return value;
}
