import type { ManualClock } from '@paddock/edges';
import { RpcError, type RpcErrorCode } from '../../call/rpc-error.js';
import type { Behaviour } from '../../loadbalance/testing/fake-invoker.js';
import type { ClusterLogger } from '../cluster.js';

/** Rejects with an RpcError of `code` naming the provider. */
export const failWith =
  (code: RpcErrorCode): Behaviour =>
  (_inv, self) =>
    Promise.reject(new RpcError(code, `${code} from ${self.id}`, { provider: self.id }));

/** Takes `ms` on the clock, then resolves to the provider id (or rejects with `code`). */
export const taking =
  (clock: ManualClock, ms: number, code?: RpcErrorCode): Behaviour =>
  (_inv, self) => {
    clock.advance(ms);
    return code === undefined ? Promise.resolve(self.id) : Promise.reject(new RpcError(code, `${code} from ${self.id}`));
  };

export interface LogLine {
  readonly level: 'debug' | 'warn';
  readonly fields: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function capturingLogger(): { logger: ClusterLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    logger: {
      debug: (fields, msg) => lines.push({ level: 'debug', fields, msg }),
      warn: (fields, msg) => lines.push({ level: 'warn', fields, msg }),
    },
  };
}

export async function rejection(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
