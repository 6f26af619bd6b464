import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startPaddock } from '../support/paddock.js';
import { freePort } from '../support/ports.js';
import { runZkCli } from '../support/zkcli-transcript.js';
import { skipWithoutZooKeeper, startZooKeeper, type PeerServer } from '../support/zookeeper.js';
import { runCliScript, spawnCli, spawnZkCli } from './cli-harness.js';

/** `coord-cli version` prints what zkCli.sh 3.8's `version` prints, with our version in it. */

const pkg = JSON.parse(readFileSync('packages/coord-client/package.json', 'utf8')) as { version: string };
const LINE = `ZooKeeper CLI version: 3.8.0-paddock-${pkg.version}\n`;

const peers: PeerServer[] = [];
afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

describe('coord-cli version', () => {
  it('prints one line naming zkCli\'s version and this package\'s, without needing a server', async () => {
    const server = `127.0.0.1:${await freePort()}`;
    expect(await spawnCli(['-server', server, 'version'])).toEqual({ out: `Connecting to ${server}\n${LINE}`, err: '', all: `Connecting to ${server}\n${LINE}`, code: 0 });
    expect(await spawnCli(['-server', server, 'version', 'x'])).toMatchObject({ err: 'version \n', code: 1 });
  });

  it('in the shell: answers while connected, "Not connected" after close, and is listed in --help', async () => {
    const paddock = await startPaddock();
    peers.push(paddock);
    const transcript = await runCliScript(paddock.connectString, ['version', 'close', 'version']);
    expect(transcript).toContain(LINE);
    expect(transcript.split(LINE)[1]).toContain('Not connected\n');
    expect((await spawnCli(['--help'])).out).toContain('\tversion \n');
  });
});

const noZooKeeper = skipWithoutZooKeeper('coord-cli version against zkCli.sh');

describe.skipIf(noZooKeeper)('coord-cli version against zkCli.sh', () => {
  it('the same line shape, stream and exit code, one-shot and in the shell', { timeout: 90_000 }, async () => {
    const zk = await startZooKeeper();
    peers.push(zk);
    const shape = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('ZooKeeper CLI version: ')).map((l) => l.replace(/: (\d+\.\d+\.\d+)-.*$/, ': $1-…'));
    const [theirs, theirsBad, transcript] = await Promise.all([
      spawnZkCli(['-server', zk.connectString, 'version']),
      spawnZkCli(['-server', zk.connectString, 'version', 'x']),
      runZkCli(zk.port, ['version', 'close', 'version']),
    ]);
    expect(shape(theirs.out)).toEqual(['ZooKeeper CLI version: 3.8.0-…']);
    expect(shape(LINE)).toEqual(shape(theirs.out));
    expect({ code: theirs.code, err: theirs.err }).toEqual({ code: 0, err: '' });
    expect({ code: theirsBad.code, err: theirsBad.err }).toEqual({ code: 1, err: 'version \n' });
    expect(transcript.split(/^ZooKeeper CLI version: .*$/m)[1]).toContain('Not connected\n');
  });
});
