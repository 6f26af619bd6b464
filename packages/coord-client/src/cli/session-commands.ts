import { NO_OPTIONS, zkOf, type Command } from './command.js';

/** The session itself: printwatches, connect, close, quit. */

const printwatches: Command = {
  name: 'printwatches', usage: 'printwatches on|off', options: NO_OPTIONS, minArgs: 0, offline: true,
  async run(ctx, a) {
    const choice = a.args[0];
    if (choice === undefined) ctx.out(`printwatches is ${ctx.session.printWatches ? 'on' : 'off'}\n`);
    else ctx.session.printWatches = choice === 'on';
  },
};

const connect: Command = {
  name: 'connect', usage: 'connect host:port', options: NO_OPTIONS, minArgs: 0, offline: true,
  async run(ctx, a) {
    await ctx.session.connect(a.args[0]);
  },
};

const close: Command = {
  name: 'close', usage: 'close ', options: NO_OPTIONS, minArgs: 0,
  async run(ctx) {
    await zkOf(ctx);
    await ctx.session.close();
  },
};

const quit: Command = {
  name: 'quit', usage: 'quit ', options: NO_OPTIONS, minArgs: 0, offline: true,
  async run(ctx) {
    ctx.session.quitRequested = true;
    // A one-shot `quit` still has a session to end, as zkCli's.
    if (ctx.session.onDemand) await zkOf(ctx);
    await ctx.session.close();
  },
};

export const SESSION_COMMANDS: readonly Command[] = [printwatches, connect, close, quit];
