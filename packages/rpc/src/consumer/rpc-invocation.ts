import type { Invocation } from '../call/invocation.js';
import { EMPTY_ATTACHMENTS, type Attachments } from '../transport/attachments.js';
import type { ReplyCarrier } from '../transport/transport.js';

/** The consumer's invocation: one per call, the same shape every time; transports hand reply attachments back into it. */
export class RpcInvocation implements Invocation, ReplyCarrier {
  replyAttachments: Attachments = EMPTY_ATTACHMENTS;

  constructor(
    readonly service: string,
    readonly method: string,
    readonly args: readonly unknown[],
    readonly attachments: Record<string, string>,
    readonly deadline: number,
    readonly idempotent: boolean,
  ) {}

  setReplyAttachments(attachments: Attachments): void {
    this.replyAttachments = attachments;
  }
}
