import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';
import { lines, type CliContext } from './suite-context.js';

const event = (state: string, type: string, path: string | null): string =>
  `\nWATCHER::\n\nWatchedEvent state:${state} type:${type} path:${path ?? 'null'}\n`;

/** printwatches, connect, close, quit; the shell's and one-shot mode's own behaviour. */
export function sessionTests(ctx: CliContext): void {
  describe('the shell', () => {
    it('greets, connects, prints no prompt when input is not a terminal, and keeps the last exit code', async () => {
      const cs = ctx.peer.connectString;
      const r = await ctx.shell('ls /nope', '', `ls ${ctx.base}`);
      expect(r.out).toBe(`Connecting to ${cs}\nWelcome to coord-cli!\n${event('SyncConnected', 'None', null)}[]\n`);
      expect(r.err).toBe('Node does not exist: /nope\n');
      expect(r.code).toBe(0);
      expect((await ctx.shell(`ls ${ctx.base}`, 'get /nope')).code).toBe(1);
    });

    it('prints the command list for an unknown command and exits 127', async () => {
      const r = await ctx.shell('bogus x');
      expect(r.err).toMatch(/^coord-cli -server .* cmd args\n\taddWatch \[-m mode\] path .*\n\taddauth scheme auth\n\tclose \n\tconfig \[-c\] \[-w\] \[-s\]\n\tconnect host:port\n/);
      expect(r.err).toContain('\tls [-s] [-w] [-R] path\n');
      expect(r.err.endsWith('\twhoami \nCommand not found: Command not found bogus\n')).toBe(true);
      expect(r.code).toBe(127);
    });

    it('printwatches tells and switches whether watch and state events print', async () => {
      const p = `${ctx.base}/w`;
      await ctx.zk.create(p, 'a');
      const r = await ctx.shell('printwatches', 'printwatches off', 'printwatches', `get -w ${p}`, `set ${p} b`,
        `sync ${p}`, 'printwatches on', `get -w ${p}`, `set ${p} c`, `sync ${p}`);
      const out = lines(r);
      expect(out.filter((l) => l.startsWith('printwatches is'))).toEqual(['printwatches is on', 'printwatches is off']);
      expect(r.all.split(`type:NodeDataChanged path:${p}`)).toHaveLength(2);
    });

    it('close ends the session (Closed), later commands say "Not connected", connect opens a new one', async () => {
      const r = await ctx.shell('close', `ls ${ctx.base}`, 'close', 'printwatches', 'connect', `ls ${ctx.base}`);
      expect(r.out).toContain(`${event('Closed', 'None', null)}Not connected\nNot connected\nprintwatches is on\n`);
      expect(r.out).toContain(`${event('SyncConnected', 'None', null)}[]\n`);
      expect(r.code).toBe(0);
    });

    it('connect goes to another connect string, with its chroot', async () => {
      await ctx.zk.create(`${ctx.base}/inside`);
      const chrooted = `${ctx.peer.connectString}${ctx.base}`;
      const r = await ctx.shell(`connect ${chrooted}`, 'ls /', 'create /made', 'getAllChildrenNumber /');
      expect(lines(r)).toContain('[inside]');
      expect(r.err).toBe('Created /made\n');
      expect(await ctx.zk.getChildren(ctx.base)).toEqual(expect.arrayContaining(['inside', 'made']));
    });

    it('connect reports a bad connect string and the shell goes on', async () => {
      const r = await ctx.shell('connect bad:host:x', 'printwatches');
      expect(r.err).toMatch(/^Unable to connect to bad:host:x: .*invalid connect string/);
      expect(lines(r)).toContain('printwatches is on');
      expect(r.code).toBe(0);
    });

    it('quit closes the session and stops reading, keeping the previous exit code', async () => {
      const r = await ctx.shell('get /nope', 'quit', `create ${ctx.base}/never`);
      expect(r.out.endsWith(event('Closed', 'None', null))).toBe(true);
      expect(r.code).toBe(1);
      expect(await ctx.zk.getChildren(ctx.base)).toEqual([]);
    });

    it('at the end of input the session is closed without a Closed event, its ephemerals gone', async () => {
      const r = await ctx.shell(`create -e ${ctx.base}/e`);
      expect(r.out).not.toContain('state:Closed');
      expect(await ctx.zk.getChildren(ctx.base)).toEqual([]);
    });
  });

  describe('one-shot mode', () => {
    it('runs one command on -server (with its chroot) and exits with its code', async () => {
      await ctx.zk.create(`${ctx.base}/a`);
      const r = await runCli(['-server', `${ctx.peer.connectString}${ctx.base}`, '-timeout', '5000', 'ls', '/']);
      expect(r).toEqual({
        out: `Connecting to ${ctx.peer.connectString}${ctx.base}\n${event('SyncConnected', 'None', null)}[a]\n`,
        err: '', all: expect.any(String), code: 0,
      });
    });

    it('checks the command before connecting: an unknown one exits 127 with the command list', async () => {
      const r = await ctx.once('bogus');
      expect(r.out).toBe(`Connecting to ${ctx.peer.connectString}\n`);
      expect(r.err).toContain('Command not found: Command not found bogus\n');
      expect(r.code).toBe(127);
    });

    it('prints the connection and Closed events for close and quit, as zkCli', async () => {
      for (const cmd of ['close', 'quit']) {
        const r = await ctx.once(cmd);
        expect(r.out).toBe(`Connecting to ${ctx.peer.connectString}\n${event('SyncConnected', 'None', null)}${event('Closed', 'None', null)}`);
        expect(r.code).toBe(0);
      }
    });

    it('printwatches and connect work as one-shot commands too, connecting only when needed', async () => {
      expect((await ctx.once('printwatches')).out).toBe(`Connecting to ${ctx.peer.connectString}\nprintwatches is on\n`);
      expect(await ctx.cmd('connect', ctx.peer.connectString)).toEqual({ out: '', err: '', code: 0 });
      expect((await ctx.once('connect', ctx.peer.connectString)).out).toBe(
        `Connecting to ${ctx.peer.connectString}\n${event('SyncConnected', 'None', null)}`);
    });
  });
}
