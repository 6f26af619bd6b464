import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';
import { lines, type CliContext } from './suite-context.js';

const event = (type: string, path: string): string => `WatchedEvent state:SyncConnected type:${type} path:${path}`;

/** Bound on waiting for the terminal to show something. */
const SCREEN_MS = 10_000;

/** setquota/listquota/delquota, addWatch/removewatches, history/redo, and the shell at a terminal. */
export function extraTests(ctx: CliContext): void {
  describe('quotas', () => {
    it('setquota writes ZooKeeper\'s limits text, listquota prints it and the server\'s stats, delquota removes them', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/a`, 'xyz');
      expect(await ctx.cmd('setquota', '-N', '3', b)).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.cmd('listquota', b)).toEqual({
        out: `Output quota for ${b} count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3\nOutput stat for ${b} count=2,bytes=3\n`,
        err: `absolute path is /zookeeper/quota${b}/zookeeper_limits\n`, code: 0,
      });
      // A second setquota changes only its own key.
      expect((await ctx.cmd('setquota', '-b', '10', b)).out).toBe('');
      expect((await ctx.cmd('setquota', '-n', '1', b)).out).toBe('[Warning]: the count quota you create is less than the existing count:2\n');
      expect((await ctx.cmd('listquota', b)).out).toContain(`Output quota for ${b} count=1,bytes=10=;byteHardLimit=-1;countHardLimit=3\n`);
      expect(await ctx.cmd('delquota', '-N', b)).toEqual({ out: '', err: '', code: 0 });
      expect((await ctx.cmd('listquota', b)).out).toContain(`count=1,bytes=10=;byteHardLimit=-1;countHardLimit=-1\n`);
      expect(await ctx.cmd('delquota', b)).toEqual({ out: '', err: '', code: 0 });
      expect(await ctx.cmd('delquota', b)).toEqual({ out: `Quota does not exist for ${b}\n`, err: '', code: 0 });
      expect(await ctx.cmd('listquota', b)).toEqual({
        out: '', err: `absolute path is /zookeeper/quota${b}/zookeeper_limits\nquota for ${b} does not exist.\n`, code: 0,
      });
      // The emptied quota folders are gone again.
      expect(await ctx.zk.getChildren('/zookeeper/quota')).not.toContain(b.slice(1));
    });

    it('refuses what zkCli refuses, with its words and exit codes', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/a`);
      await ctx.zk.create(`${b}/a/z`);
      expect(await ctx.cmd('setquota', '-n', '0', b)).toEqual({ out: '', err: 'the num quota must be greater than zero\n', code: 0 });
      expect((await ctx.cmd('setquota', '-B', '-1', b)).err).toBe('the bytes quota must be greater than or equal to zero\n');
      expect((await ctx.cmd('setquota', '-n', 'x', b)).err).toBe('NumberFormatException happens when parsing the option value\n');
      expect((await ctx.cmd('setquota', '-N', '9', '/zookeeper/quota/x')).err).toBe('cannot set a quota under the path: /zookeeper/quota\n');
      expect(await ctx.cmd('setquota', '-N', '3', `${b}/nope`)).toEqual({ out: '', err: `${b}/nope does not exist.\n`, code: 1 });
      expect((await ctx.cmd('setquota', '-N', '3', `${b}/a`)).code).toBe(0);
      expect(await ctx.cmd('setquota', '-N', '3', `${b}/a/z`)).toEqual({ out: '', err: `${b}/a/z has a parent ${b}/a which has a quota\n`, code: 1 });
      expect(await ctx.cmd('setquota', '-N', '3', b)).toEqual({ out: '', err: `${b} has a child ${b}/a which has a quota\n`, code: 1 });
      expect((await ctx.cmd('delquota', '-n', '-b', `${b}/a`)).err).toBe("org.apache.commons.cli.AlreadySelectedException: The option 'b' "
        + "was specified but an option from this group has already been selected: 'n'\n");
      expect((await ctx.cmd('listquota')).err).toBe('listquota path\n');
      expect((await ctx.cmd('delquota', `${b}/a`)).code).toBe(0);
    });
  });

  describe('persistent watches', () => {
    it('addWatch prints every event below the path until removewatches, which prints PersistentWatchRemoved', async () => {
      const b = ctx.base;
      // As ZooKeeper 3.8's client: removewatches -c or -d leaves a persistent watch (No such
      // watcher); only -a (or no flag) removes it.
      const r = await ctx.shell(`addWatch ${b}`, `create ${b}/a`, `set ${b}/a x`, `sync ${b}`, `removewatches ${b}`,
        `create ${b}/b`, `sync ${b}`, `removewatches ${b}`, `addWatch -m persistent ${b}`, `set ${b}/a y`, `delete ${b}/a`,
        `sync ${b}`, `removewatches ${b} -c -d`, `removewatches ${b} -a`, 'addWatch -m bogus /x');
      const out = lines(r);
      const events = out.filter((l) => l.startsWith('WatchedEvent') && !l.includes('type:None'));
      expect(events).toEqual([
        event('NodeCreated', `${b}/a`), event('NodeDataChanged', `${b}/a`), event('PersistentWatchRemoved', b),
        event('NodeChildrenChanged', b), event('PersistentWatchRemoved', b),
      ]);
      // Twice: the second plain removewatches, and -c -d on the persistent watch.
      expect(out.filter((l) => l === `KeeperErrorCode = No such watcher for ${b}`)).toHaveLength(2);
      expect(out).toContain('addWatch [-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE');
    });
  });

  describe('history and redo', () => {
    it('numbers the lines from 0, lists the last ten and the current one, and runs an earlier line again', async () => {
      const b = ctx.base;
      const r = await ctx.shell(`create ${b}/x`, `ls ${b}`, 'redo 0', 'redo 99', 'redo 3', 'redo x', 'redo', 'history');
      const out = lines(r);
      expect(out).toContain(`Node already exists: ${b}/x`);
      expect(out).toContain('No redoing redos');
      expect(out).toContain('Command index out of range');
      expect(out).toContain('redo: "x" is not a command number');
      // A redo that ran is recorded as the line it ran; one that did not stays itself.
      expect(out.slice(out.indexOf('0 - create ' + `${b}/x`))).toEqual([
        `0 - create ${b}/x`, `1 - ls ${b}`, `2 - create ${b}/x`, '3 - redo 99', '4 - redo 3', '5 - redo x', '6 - redo', '7 - history', '',
      ]);
    });

    it('history shows at most the ten lines before the current one', async () => {
      const r = await ctx.shell(...Array.from({ length: 12 }, (_, i) => `printwatches ${i % 2 ? 'on' : 'off'}`), 'history');
      expect(lines(r).filter((l) => / - /.test(l))).toEqual([
        ...Array.from({ length: 10 }, (_, i) => `${i + 2} - printwatches ${(i + 2) % 2 ? 'on' : 'off'}`), '12 - history',
      ]);
    });
  });

  describe('at a terminal', () => {
    it('prompts with the state and count, and Tab completes commands and znode paths', async () => {
      const b = ctx.base;
      await ctx.zk.create(`${b}/alpha`, 'A');
      const input = new PassThrough();
      let screen = '';
      const shown = (what: string): Promise<void> => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`terminal never showed ${JSON.stringify(what)}:\n${screen}`)), SCREEN_MS);
        const poll = (): void => {
          if (screen.includes(what)) {
            clearTimeout(timer);
            resolve();
          } else setImmediate(poll);
        };
        poll();
      });
      const run = runCli(['-server', ctx.peer.connectString], input, { terminal: true, onOutput: (t) => { screen += t; } });
      await shown('(CONNECTED) 0] ');
      input.write(`get ${b}/al\t`);
      await shown(`get ${b}/alpha`);
      input.write('\r');
      await shown('(CONNECTED) 1] ');
      input.write('getAll\t');
      await shown('getAllChildrenNumber');
      input.write(` ${b}\r`);
      await shown('(CONNECTED) 2] ');
      input.end();
      const r = await run;
      // The completed lines as echoed, then what they printed.
      expect(r.out).toContain(`get ${b}/alpha\r\nA\n`);
      expect(r.out).toContain(`getAllChildrenNumber ${b}\r\n1\n`);
    });
  });
}
