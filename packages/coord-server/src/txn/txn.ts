import type { ACL } from '@paddock/coord-protocol';

/**
 * A transaction: the validated, fully computed change a write request makes. Prep produces
 * it, the log persists it, apply replays it onto the DataTree. Failed writes become `error`
 * txns and still consume a zxid, as in ZooKeeper.
 */
export type TxnBody =
  | { readonly kind: 'createSession'; readonly timeout: number; readonly passwd: Buffer }
  | { readonly kind: 'closeSession'; readonly paths: readonly string[] }
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
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'setData'; readonly path: string; readonly data: Buffer | null; readonly version: number }
  | { readonly kind: 'setACL'; readonly path: string; readonly acl: readonly ACL[]; readonly version: number }
  | { readonly kind: 'check'; readonly path: string; readonly version: number }
  | { readonly kind: 'error'; readonly err: number }
  | { readonly kind: 'multi'; readonly txns: readonly TxnBody[] };

export interface Txn {
  readonly zxid: number;
  readonly time: number;
  readonly sessionId: bigint;
  readonly body: TxnBody;
}
