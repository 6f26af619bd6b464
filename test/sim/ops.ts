/**
 * What a simulated client asks a server (the simulator's stand-in for ZooKeeper's request
 * records): the register ops on /k<i>, sequential and ephemeral creates, reads, sync and the
 * end of its session.
 */
export type ClientOp =
  | { readonly op: 'create'; readonly path: string; readonly data: string; readonly flags: number }
  | { readonly op: 'set'; readonly path: string; readonly data: string; readonly version: number }
  | { readonly op: 'delete'; readonly path: string; readonly version: number }
  | { readonly op: 'get'; readonly path: string }
  | { readonly op: 'children'; readonly path: string }
  | { readonly op: 'sync'; readonly path: string }
  | { readonly op: 'closeSession' };

/** What a successful op returns. */
export interface OpResult {
  /** create: the path made (the sequential name). */
  readonly path?: string;
  /** get: the data. */
  readonly data?: string | null;
  /** get: the node's version; set: the version after it. */
  readonly version?: number;
  /** children: the names, sorted. */
  readonly children?: readonly string[];
}

export const isWrite = (op: ClientOp): boolean => op.op === 'create' || op.op === 'set' || op.op === 'delete' || op.op === 'closeSession';

/** CreateRequest flags (ZooKeeper's CreateMode numbers). */
export const FLAGS = { persistent: 0, ephemeral: 1, sequential: 2 } as const;

/** Client to server over the client port. */
export type ToServer =
  | { readonly t: 'connect'; readonly sessionId: bigint; readonly lastZxid: number; readonly timeout: number; readonly client: number }
  | { readonly t: 'op'; readonly cxid: number; readonly op: ClientOp }
  | { readonly t: 'ping' };

/** Server to client. */
export type ToClient =
  | { readonly t: 'connected'; readonly sessionId: bigint; readonly zxid: number }
  | { readonly t: 'expired' }
  | { readonly t: 'reply'; readonly cxid: number; readonly err: number; readonly zxid: number; readonly result: OpResult }
  | { readonly t: 'pong' };
