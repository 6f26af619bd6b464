/**
 * Where the CLI reads and writes: the process's streams in the bin, strings in tests. Writes
 * are whole lines or blocks, so output written from a watch callback never splits a line of a
 * command's output.
 */
export interface CliIo {
  /** The lines of the interactive shell. */
  readonly input: NodeJS.ReadableStream;
  /** Set when input and output are a terminal: the shell then edits lines and keeps history. */
  readonly terminal: NodeJS.WritableStream | null;
  out(text: string): void;
  err(text: string): void;
}

export function processIo(): CliIo {
  const terminal = process.stdin.isTTY && process.stdout.isTTY;
  return {
    input: process.stdin,
    terminal: terminal ? process.stdout : null,
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
  };
}
