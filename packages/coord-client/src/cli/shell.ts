import { createInterface } from 'node:readline';
import { ExitCode } from './cli-error.js';
import { runLine } from './command-table.js';
import type { CommandContext } from './command.js';
import type { CliIo } from './io.js';
import type { CliSession } from './session.js';
import { tokenize } from './tokenize.js';

/**
 * The interactive loop: a prompt as zkCli's (`[zk: host(CONNECTED) 3] `), one line at a time,
 * each command finishing before the next is read. Ends at `quit` or end of input; the exit
 * code is that of the last command, as zkCli's.
 */
export async function runShell(session: CliSession, ctx: CommandContext, io: CliIo): Promise<number> {
  let count = 0;
  let exitCode: number = ExitCode.OK;
  const rl = createInterface(io.terminal ? { input: io.input, output: io.terminal, terminal: true } : { input: io.input, terminal: false });
  // Ctrl-C at the prompt ends the shell like end of input (readline would only pause).
  rl.on('SIGINT', () => rl.close());
  const prompt = (): void => {
    const text = `[zk: ${session.host}(${session.promptState}) ${count}] `;
    if (io.terminal) {
      rl.setPrompt(text);
      rl.prompt();
    } else {
      io.out(text);
    }
  };
  try {
    prompt();
    for await (const line of rl) {
      // Unlike zkCli, a line of blanks is no command at all.
      const words = tokenize(line);
      if (words.length > 0) {
        count++;
        const code = await runLine(ctx, words);
        if (session.quitRequested) break;
        exitCode = code;
      }
      prompt();
    }
  } finally {
    rl.close();
  }
  // At end of input zkCli exits without closing, so prints no Closed event; we do close.
  await session.close(true);
  return exitCode;
}
