import type { ACL } from '@paddock/coord-protocol';

/**
 * A transaction: the validated, fully computed change a write request makes. Prep produces
 * it, the log persists it, apply replays it onto the DataTree. Failed writes become `error`
 * txns and still consume a zxid, as in ZooKeeper.
 */
export type TxnBody =
  | { readonly kind: 'createSession'; readonly timeout: number; readonly passwd: Buffer }
  | {
      readonly kind: 'closeSession';
      readonly paths: readonly string[];
      /**
       * Set on a closeSession ZooKeeper logged without its CloseSessionTxn (a server with
       * zookeeper.closeSessionTxn.enabled=false, or a log from before 3.6): `paths` is then
       * empty, and the session's ephemerals are whatever the tree holds for it when applied.
       */
      readonly pathsUnlisted?: true;
    }
  | {
      readonly kind: 'create';
      /** The request's op code: decides whether the reply carries a Stat. */
      readonly op: number;
      readonly path: string;
      readonly data: Buffer | null;
      readonly acl: readonly ACL[];
      readonly owner: bigint;
      readonly parentCVersion: number;
    }
  | {
      readonly kind: 'delete';
      readonly path: string;
      /** ZooKeeper's container manager logs its deletes as deleteContainer (20); absent means delete. */
      readonly op?: number;
    }
  | {
      readonly kind: 'setData';
      readonly path: string;
      readonly data: Buffer | null;
      readonly version: number;
      /** A reconfig (16) is logged as a setData of /zookeeper/config; absent means setData. */
      readonly op?: number;
    }
  | { readonly kind: 'setACL'; readonly path: string; readonly acl: readonly ACL[]; readonly version: number }
  | { readonly kind: 'check'; readonly path: string; readonly version: number }
  | {
      readonly kind: 'error';
      readonly err: number;
      /**
       * In a failed multi, ZooKeeper logs the ops before the failing one as they were prepared
       * and only turns them into errors (OK) when it applies the multi. A multi decoded from
       * ZooKeeper keeps that op here so it re-encodes to the same bytes; it is never applied.
       */
      readonly undone?: TxnBody;
    }
  | { readonly kind: 'multi'; readonly txns: readonly TxnBody[] };

export interface Txn {
  readonly zxid: number;
  readonly time: number;
  readonly sessionId: bigint;
  readonly body: TxnBody;
}
