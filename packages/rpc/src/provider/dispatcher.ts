import type { Clock } from '@paddock/edges';
import { RpcError } from '../call/rpc-error.js';
import type { CallHandler, IncomingCall } from '../transport/transport.js';
import { toWireError } from '../transport/wire/wire-error.js';
import type { ExportedService } from './exported-service.js';
import { RpcContext } from './rpc-context.js';
import type { ServiceTable } from './service-table.js';

/**
 * Arguments a call may carry. The method is called with them spread, and a few hundred thousand
 * overflow the stack; no contract method takes more than a handful.
 */
const MAX_ARGUMENTS = 1000;

/**
 * Where every call a provider receives goes, whatever its transport:
 *
 *   admit   : shutting down? → service/version/group → method → argument count → deadline → executes
 *   execute : run the method with its RpcContext current, answer with the result or the error
 *
 * Refusals never run the method, so a consumer may retry them elsewhere.
 */
export class Dispatcher implements CallHandler {
  /** Set when the provider drains: new calls get SHUTTING_DOWN. */
  refusing = false;
  /** Calls running now, over all services. */
  running = 0;

  constructor(
    private readonly table: ServiceTable,
    private readonly clock: Clock,
    private readonly exposeStack: boolean,
  ) {}

  handle(call: IncomingCall): void {
    const admitted = this.admit(call);
    if (admitted instanceof RpcError) {
      call.fail(toWireError(admitted, false), null);
      return;
    }
    void this.execute(call, admitted);
  }

  private admit(call: IncomingCall): ExportedService | RpcError {
    if (this.refusing) return new RpcError('SHUTTING_DOWN', `the provider is shutting down; ${call.service}.${call.method} was not run`);
    const svc = this.table.lookup(call.service, call.version, call.group);
    if (svc instanceof RpcError) return svc;
    if (svc.method(call.method) === undefined) {
      return new RpcError('UNKNOWN_METHOD', `service ${svc.name} ${svc.version} has no method ${JSON.stringify(call.method)}`);
    }
    if (call.args.length > MAX_ARGUMENTS) {
      return new RpcError('BAD_REQUEST', `${call.service}.${call.method} was called with ${call.args.length} arguments, more than any method takes (${MAX_ARGUMENTS}); it was not run`);
    }
    const late = this.clock.now() - call.deadline;
    if (late >= 0) return new RpcError('DEADLINE_EXCEEDED', `${call.service}.${call.method} arrived ${late} ms after its deadline and was not run`);
    if (svc.active >= svc.executes) {
      return new RpcError('PROVIDER_BUSY', `${svc.name} is running ${svc.active} calls, its executes limit; ${call.method} was not run`);
    }
    return svc;
  }

  private async execute(call: IncomingCall, svc: ExportedService): Promise<void> {
    svc.active++;
    this.running++;
    const ctx = new RpcContext(call, svc.version, svc.group, this.clock);
    call.abortable = ctx;
    try {
      const result = await RpcContext.run(ctx, svc.method(call.method) as (...args: unknown[]) => unknown, svc.impl, call.args);
      call.respond(result, ctx.replyAttachments);
    } catch (err) {
      call.fail(toWireError(err, this.exposeStack), ctx.replyAttachments);
    } finally {
      ctx.finish();
      call.abortable = null;
      svc.active--;
      this.running--;
    }
  }
}
