/**
 * Waits for a condition that an event will make true (a frame read, a socket closed), checking
 * after each turn of the event loop; rejects after `timeoutMs` with `what`. Not a sleep: it
 * returns as soon as the condition holds.
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
