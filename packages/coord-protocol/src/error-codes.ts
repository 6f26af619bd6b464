/**
 * ZooKeeper's error codes (KeeperException.Code), one row each: the wire value, the name, and
 * the message ZooKeeper's clients print. The only place codes are defined.
 */
const TABLE = [
  [0, 'OK', 'ok'],
  [-1, 'SystemError', 'SystemError'],
  [-2, 'RuntimeInconsistency', 'RuntimeInconsistency'],
  [-3, 'DataInconsistency', 'DataInconsistency'],
  [-4, 'ConnectionLoss', 'ConnectionLoss'],
  [-5, 'MarshallingError', 'MarshallingError'],
  [-6, 'Unimplemented', 'Unimplemented'],
  [-7, 'OperationTimeout', 'OperationTimeout'],
  [-8, 'BadArguments', 'BadArguments'],
  [-12, 'UnknownSession', 'Unknown session'],
  [-13, 'NewConfigNoQuorum', 'NewConfigNoQuorum'],
  [-14, 'ReconfigInProgress', 'ReconfigInProgress'],
  [-100, 'APIError', 'APIError'],
  [-101, 'NoNode', 'NoNode'],
  [-102, 'NoAuth', 'NoAuth'],
  [-103, 'BadVersion', 'BadVersion'],
  [-108, 'NoChildrenForEphemerals', 'NoChildrenForEphemerals'],
  [-110, 'NodeExists', 'NodeExists'],
  [-111, 'NotEmpty', 'Directory not empty'],
  [-112, 'SessionExpired', 'Session expired'],
  [-113, 'InvalidCallback', 'Invalid callback'],
  [-114, 'InvalidACL', 'InvalidACL'],
  [-115, 'AuthFailed', 'AuthFailed'],
  [-118, 'SessionMoved', 'Session moved'],
  [-119, 'NotReadOnly', 'Not a read-only call'],
  [-120, 'EphemeralOnLocalSession', 'Ephemeral node on local session'],
  [-121, 'NoWatcher', 'No such watcher'],
  [-122, 'RequestTimeout', 'Request timeout'],
  [-123, 'ReconfigDisabled', 'Reconfig is disabled'],
  [-124, 'SessionClosedRequireSaslAuth', 'Session closed because client failed to authenticate'],
  [-125, 'QuotaExceeded', 'Quota has exceeded'],
  [-127, 'Throttled', 'Op throttled due to high load'],
] as const;

type Row = (typeof TABLE)[number];
export type ErrorName = Row[1];

export const Code = Object.fromEntries(TABLE.map(([code, name]) => [name, code])) as {
  readonly [R in Row as R[1]]: R[0];
};
export type CodeValue = Row[0];

const names = new Map<number, string>(TABLE.map(([code, name]) => [code, name]));
const messages = new Map<number, string>(TABLE.map(([code, , message]) => [code, message]));

export function errorName(code: number): string {
  return names.get(code) ?? `Unknown(${code})`;
}

export function isKnownCode(code: number): boolean {
  return names.has(code);
}

/** All codes, for tests that keep the table, the docs and the codec in sync. */
export const ALL_CODES: readonly number[] = TABLE.map(([code]) => code);

/**
 * The one error class for ZooKeeper outcomes: carries the wire code and, where known, the path.
 * The message reads like ZooKeeper's: `KeeperErrorCode = NoNode for /a`.
 */
export class KeeperError extends Error {
  override readonly name = 'KeeperError';
  readonly codeName: string;

  constructor(readonly code: number, readonly path?: string) {
    const text = messages.get(code) ?? `Unknown error ${code}`;
    super(path === undefined ? `KeeperErrorCode = ${text}` : `KeeperErrorCode = ${text} for ${path}`);
    this.codeName = errorName(code);
  }

  /**
   * An expected outcome (NoNode, BadVersion, ...) raised on a hot path: same class and fields,
   * but no stack trace is captured, which makes it several times cheaper to create.
   */
  static expected(code: number, path?: string): KeeperError {
    const text = messages.get(code) ?? `Unknown error ${code}`;
    const e = Object.create(KeeperError.prototype) as { -readonly [K in keyof KeeperError]: KeeperError[K] };
    e.name = 'KeeperError';
    e.code = code;
    e.path = path;
    e.codeName = errorName(code);
    e.message = path === undefined ? `KeeperErrorCode = ${text}` : `KeeperErrorCode = ${text} for ${path}`;
    return e as KeeperError;
  }
}
