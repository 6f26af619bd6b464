import { createInterface } from 'node:readline';
import { ExitCode } from './cli-error.js';
import { runLine } from './command-table.js';
import type { CommandContext } from './command.js';
import { shellCompleter } from './completion.js';
import type { CliIo } from './io.js';
import type { CliSession } from './session.js';
import { tokenize } from './tokenize.js';

/** Lines of input remembered for the arrow keys at a terminal. */
const EDIT_HISTORY = 500;

/**
 * The interactive loop, one line at a time, each command finishing before the next is read.
 * At a terminal: a prompt as zkCli's (`[zk: host(CONNECTED) 3] `), line editing and Tab
 * completion of commands and paths. Otherwise (a pipe or a file) no prompt and no completion,
 * as zkCli without JLine, so a script's output is only what its commands print. Ends at `quit`
 * or end of input; the exit code is that of the last command, as zkCli's.
 */
export async function runShell(session: CliSession, ctx: CommandContext, io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const rl = io.terminal
    ? createInterface({ input: io.input, output: io.terminal, terminal: true, completer: shellCompleter(session), historySize: EDIT_HISTORY })
    : createInterface({ input: io.input, terminal: false });
  // Ctrl-C at the prompt ends the shell like end of input (readline would only pause).
  rl.on('SIGINT', () => rl.close());
  const prompt = (): void => {
    if (!io.terminal) return;
    rl.setPrompt(`[zk: ${session.host}(${session.promptState}) ${session.history.count}] `);
    rl.prompt();
  };
  try {
    prompt();
    for await (const line of rl) {
      // Unlike zkCli, a line of blanks is no command at all.
      const words = tokenize(line);
      if (words.length > 0) {
        session.history.record(line);
        const code = await runLine(ctx, words);
        session.history.advance();
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
