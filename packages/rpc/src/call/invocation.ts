/** One call as it travels from the consumer proxy through filters, cluster and load balancer. */
export interface Invocation {
  readonly service: string;
  readonly method: string;
  readonly args: readonly unknown[];
  /** String metadata carried both ways (Dubbo's attachments), e.g. a trace id. */
  readonly attachments: Record<string, string>;
  /** Absolute deadline (ms since the epoch) after which the caller has given up. */
  readonly deadline: number;
  /** Idempotent methods may be retried on another provider after a retryable error. */
  readonly idempotent: boolean;
}
