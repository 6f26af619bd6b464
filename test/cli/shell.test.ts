import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoordClient } from '@paddock/coord-client';
import { skipWithoutPaddock } from '../fuzz/peers.js';
import { startPaddock } from '../support/paddock.js';
import { skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { CliShell, spawnCli } from './cli-harness.js';

/**
 * The bin as a user runs it: the interactive shell driven through its stdin (no terminal),
 * and one-shot runs with their exit codes, against each server.
 */
function binTests(start: () => Promise<PeerServer>): void {
  let peer: PeerServer;
  let zk: CoordClient;
  const shells: CliShell[] = [];
  const shell = (...args: string[]): CliShell => {
    const s = CliShell.start(['-server', peer.connectString, ...args]);
    shells.push(s);
    return s;
  };

  beforeAll(async () => {
    peer = await start();
    zk = await CoordClient.connect(peer.connectString);
  });
  afterAll(async () => {
    await zk.close();
    await peer.stop();
  });
  afterEach(() => {
    for (const s of shells.splice(0)) s.kill();
  });

  it('greets, runs one command per line without prompts (stdin is a pipe) and exits at quit with the last command\'s code', async () => {
    const sh = shell();
    const greeting = await sh.ready();
    expect(greeting).toBe(`Connecting to ${peer.connectString}\nWelcome to coord-cli!\n\nWATCHER::\n\n`
      + 'WatchedEvent state:SyncConnected type:None path:null\n');
    expect(await sh.run('create /sh1 "some data"')).toBe('Created /sh1\n');
    expect(await sh.run('get /sh1')).toBe('some data\n');
    expect(await sh.run('set /sh1 -1')).toBe('Unrecognized option: -1\n');
    expect(await sh.run('delete /sh1')).toBe('');
    // The last command before quit fails: sent without the harness's closing printwatches.
    sh.send('get /sh1');
    expect(await sh.waitFor('Node does not exist: /sh1\n')).toBe('Node does not exist: /sh1\n');
    sh.send('quit');
    expect(await sh.exited).toBe(1);
    expect(sh.output.endsWith('\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n')).toBe(true);
  });

  it('prints a watch event as it arrives, while waiting for input', async () => {
    await zk.create('/sh2', 'a');
    const sh = shell();
    await sh.ready();
    expect(await sh.run('get -w /sh2')).toBe('a\n');
    await zk.setData('/sh2', 'b');
    expect(await sh.waitFor('WatchedEvent state:SyncConnected type:NodeDataChanged path:/sh2\n'))
      .toBe('\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/sh2\n');
    // One-shot: it fired once; the shell is still reading.
    await zk.setData('/sh2', 'c');
    expect(await sh.run('get /sh2')).toBe('c\n');
    expect(sh.output.match(/NodeDataChanged/g)).toHaveLength(1);
    expect(await sh.end()).toBe(0);
  });

  it('goes through close and connect, printing no prompt', async () => {
    const sh = shell();
    await sh.ready();
    expect(await sh.run('close')).toBe('\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n');
    expect(await sh.run('ls /')).toBe('Not connected\n');
    expect(await sh.run('connect')).toBe('\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n');
    expect(sh.output).not.toContain('[zk: ');
    expect(await sh.end()).toBe(0);
  });

  it('ends at end of input with the last command\'s exit code', async () => {
    const sh = shell();
    await sh.ready();
    sh.send('bogus');
    expect(await sh.waitFor('Command not found: Command not found bogus\n')).toContain('\tls [-s] [-w] [-R] path\n');
    expect(await sh.end()).toBe(127);
  });

  it('one-shot: output on stdout and stderr as zkCli, exit code 0, 1 or 127', async () => {
    const preamble = `Connecting to ${peer.connectString}\n\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n`;
    expect(await spawnCli(['-server', peer.connectString, 'create', '/sh3', 'x'])).toMatchObject({
      out: preamble, err: 'Created /sh3\n', code: 0,
    });
    expect(await spawnCli(['-server', peer.connectString, 'get', '/sh3'])).toMatchObject({ out: `${preamble}x\n`, err: '', code: 0 });
    expect(await spawnCli(['-server', peer.connectString, 'get', '/nope'])).toMatchObject({
      out: preamble, err: 'Node does not exist: /nope\n', code: 1,
    });
    expect(await spawnCli(['-server', peer.connectString, 'set', '-v', 'x', '/sh3', 'y'])).toMatchObject({
      out: `Connecting to ${peer.connectString}\n`, err: '-v argument must be an int value\n', code: 1,
    });
    expect((await spawnCli(['-server', peer.connectString, 'nosuch'])).code).toBe(127);
  });
}

describe.skipIf(await skipWithoutPaddock('coord-cli bin against Paddock'))("coord-cli bin against Paddock's coord-server", () => {
  binTests(() => startPaddock());
});

describe.skipIf(skipWithoutZooKeeper('coord-cli bin against Apache ZooKeeper'))('coord-cli bin against Apache ZooKeeper', () => {
  binTests(() => startZooKeeper());
});
