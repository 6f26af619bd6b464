import { AddWatchMode, WatcherType } from '../index.js';
import { CliError } from './cli-error.js';
import { arg, zkOf, type Command } from './command.js';
import { checkPath } from './path-check.js';

/** Persistent watches: addWatch and removewatches, with the shell's watcher printing their events. */

const MODES = Object.keys(AddWatchMode) as (keyof typeof AddWatchMode)[];
const ADD_WATCH_USAGE = `addWatch [-m mode] path # optional mode is one of [${MODES.join(', ')}] - default is PERSISTENT_RECURSIVE`;

const addWatch: Command = {
  name: 'addWatch', usage: ADD_WATCH_USAGE, options: { flags: '', valued: 'm' }, minArgs: 1,
  // zkCli takes exactly one path, and a mode by its name in any case; anything else is its usage.
  validate(a) {
    const mode = a.values.get('m');
    if (a.args.length > 1 || (mode !== undefined && !(mode.toUpperCase() in AddWatchMode))) throw new CliError(ADD_WATCH_USAGE);
  },
  async run(ctx, a) {
    const path = arg(a, 0);
    const name = (a.values.get('m') ?? 'PERSISTENT_RECURSIVE').toUpperCase() as keyof typeof AddWatchMode;
    checkPath(path);
    const zk = await zkOf(ctx);
    await zk.addWatch(path, AddWatchMode[name], ctx.session.watcher);
  },
};

const removewatches: Command = {
  name: 'removewatches', usage: 'removewatches path [-c|-d|-a] [-l]', options: { flags: 'cdal', valued: '' }, minArgs: 1,
  async run(ctx, a) {
    const path = arg(a, 0);
    // As zkCli: -c wins over -d, and no type means any.
    const type = a.flags.has('c') ? WatcherType.Children : a.flags.has('d') ? WatcherType.Data : WatcherType.Any;
    checkPath(path);
    const zk = await zkOf(ctx);
    // Every watch of the type on the path, the shell's own included (zkCli's removeAllWatches).
    await zk.removeWatches(path, type, undefined, a.flags.has('l'));
  },
};

export const WATCH_COMMANDS: readonly Command[] = [addWatch, removewatches];
