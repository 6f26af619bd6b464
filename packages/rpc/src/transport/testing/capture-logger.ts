import type { RpcLogger } from '../logger.js';

export interface LogLine {
  readonly level: keyof RpcLogger;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** An RpcLogger that keeps every line, for tests that check what was logged. */
export function capturingRpcLogger(): { logger: RpcLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof RpcLogger) => (fields: Record<string, unknown>, message = ''): void => {
    lines.push({ level, fields, message });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
