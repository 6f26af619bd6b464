import type { Clock } from '@paddock/edges';
import { servedCall, type ServedCall } from '../call/served-call.js';
import type { ServiceDefinition } from '../contract/service-definition.js';
import { TRACE_ID, newTraceId } from '../transport/attachments.js';
import { currentScope, type CallScope } from './call-scope.js';
import type { Directory } from './directory.js';
import { RpcInvocation } from './rpc-invocation.js';
import type { Cluster } from '../cluster/cluster.js';

/** What a reference precomputes per method. */
export interface MethodPlan {
  readonly name: string;
  readonly timeout: number;
  readonly idempotent: boolean;
}

export interface ReferenceConfig {
  readonly def: ServiceDefinition;
  readonly directory: Directory;
  /** The cluster (with its load balancer) made for this reference from the cluster table. */
  readonly cluster: Cluster;
  readonly clock: Clock;
  /** The reference's timeout; undefined: each method's own, else the client's. */
  readonly timeout: number | undefined;
  readonly defaultTimeout: number;
}

/**
 * One `refer()`: the methods' plans, the directory and the strategies, all composed once.
 * A call builds its invocation (deadline, attachments, trace id) and hands it to the cluster.
 */
export class ServiceReference {
  readonly plans: ReadonlyMap<string, MethodPlan>;
  private connected = false;

  constructor(private readonly config: ReferenceConfig) {
    const plans = new Map<string, MethodPlan>();
    for (const m of config.def.methods.values()) {
      plans.set(m.name, Object.freeze({ name: m.name, timeout: config.timeout ?? m.timeout ?? config.defaultTimeout, idempotent: m.idempotent }));
    }
    this.plans = plans;
  }

  invoke(plan: MethodPlan, args: unknown[]): Promise<unknown> {
    if (!this.connected) return this.invokeOnceReady(plan, args);
    return this.invokeNow(plan, args);
  }

  close(): void {
    this.config.directory.close();
  }

  private async invokeOnceReady(plan: MethodPlan, args: unknown[]): Promise<unknown> {
    await this.config.directory.ready();
    this.connected = true;
    return this.invokeNow(plan, args);
  }

  private invokeNow(plan: MethodPlan, args: unknown[]): Promise<unknown> {
    const { clock, def, directory, cluster } = this.config;
    const scope = currentScope();
    const upstream = servedCall();
    let deadline = clock.now() + (scope?.timeout ?? plan.timeout);
    // A call made while serving one inherits what is left of that call's time.
    if (upstream !== undefined && upstream.deadline < deadline) deadline = upstream.deadline;
    const inv = new RpcInvocation(def.name, plan.name, args, attachmentsFor(scope, upstream), deadline, plan.idempotent);
    // Outside callWith nothing waits for the reply attachments: the cluster's promise is the call's.
    if (scope === undefined) return cluster.invoke(directory.invokers, inv);
    return invokeInScope(cluster, directory, inv, scope);
  }
}

/** A call inside callWith: its reply attachments go back to the scope, whatever the outcome. */
async function invokeInScope(cluster: Cluster, directory: Directory, inv: RpcInvocation, scope: CallScope): Promise<unknown> {
  try {
    return await cluster.invoke(directory.invokers, inv);
  } finally {
    scope.reply = inv.replyAttachments;
  }
}

/** The call's attachments: the scope's (copied), and a trace id: the scope's, the served call's, or a new one. */
function attachmentsFor(scope: CallScope | undefined, upstream: ServedCall | undefined): Record<string, string> {
  const traceId = scope?.traceId ?? (upstream === undefined ? newTraceId() : upstream.traceId || newTraceId());
  if (scope?.attachments === undefined) return { [TRACE_ID]: traceId };
  const out: Record<string, string> = {};
  const given = scope.attachments;
  for (const key in given) out[key] = given[key] as string;
  out[TRACE_ID] = traceId;
  return out;
}
