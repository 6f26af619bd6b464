import type { Logger } from '@paddock/edges';

export interface LogLine {
  readonly level: keyof Logger;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** An Logger that keeps every line, for tests that check what was logged. */
export function capturingRpcLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (fields: Record<string, unknown>, message = ''): void => {
    lines.push({ level, fields, message });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
