import type { ChildProcess } from 'node:child_process';

/** Output kept while waiting (a child that floods its pipes before it is ready is not waited for line by line). */
const MAX_KEPT = 64 * 1024;

/**
 * Waits until a child's output (stdout and stderr together) matches `ready`: resolves with the
 * match and the output so far. Rejects, with that output in the message, when the child exits
 * first or after `timeoutMs`. Its listeners go once it settles; add your own to read on.
 */
export function untilOutput(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<{ match: RegExpExecArray; text: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const settle = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const onData = (chunk: Buffer): void => {
      if (text.length < MAX_KEPT) text += chunk.toString();
      const match = ready.exec(text);
      if (match === null) return;
      settle();
      resolve({ match, text });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      settle();
      reject(new Error(`exited (${code ?? signal}) before printing ${ready}; output: ${text.trim()}`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`printed nothing matching ${ready} within ${timeoutMs} ms; output: ${text.trim()}`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
