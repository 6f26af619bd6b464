import type { Id } from '@paddock/coord-protocol';

/**
 * How a learner's pipeline reaches the leader (implemented by the quorum peer over ZAB):
 * writes, closeSession, sync and createSession are forwarded; a session a client brings to
 * this server is revalidated. Answers come back as commits, SYNCs and revalidation results.
 */
export interface Forwarder {
  forward(sessionId: bigint, cxid: number, op: number, request: Buffer, authInfo: readonly Id[]): void;
  revalidate(sessionId: bigint, timeout: number): void;
}
