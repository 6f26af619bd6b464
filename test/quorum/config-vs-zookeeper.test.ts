import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from '../../packages/coord-server/src/quorum/config/testing/config-cases.js';
import { writeCase } from '../../packages/coord-server/src/quorum/config/testing/load-case.js';
import { skipWithoutZooKeeper } from '../support/zookeeper.js';

const SOURCE = fileURLToPath(new URL('./ConfigOracle.java', import.meta.url));
const JARS = ['zookeeper', 'zookeeper-jute', 'slf4j-api', 'slf4j-nop'].map((n) => `/usr/share/java/${n}.jar`);
const BOUND_MS = 60_000;

function javacMissing(): boolean {
  if (spawnSync('javac', ['-version']).status === 0) return false;
  if (process.env.CI) throw new Error('CI requires javac for the ZooKeeper config oracle');
  console.warn('[SKIP] zoo.cfg cases against ZooKeeper: javac not found (apt-get install default-jdk-headless)');
  return true;
}

const skip = skipWithoutZooKeeper('zoo.cfg cases against ZooKeeper') || javacMissing();

/**
 * Every case of config-cases.ts, read by ZooKeeper 3.8.0's own QuorumPeerConfig in one JVM:
 * the /zookeeper/config text it would write must be ours byte for byte, standalone must be
 * standalone, and a config we refuse must be one ZooKeeper refuses too, unless the case says
 * ZooKeeper accepts it (and then it must really accept it).
 */
describe.skipIf(skip)('zoo.cfg cases against ZooKeeper 3.8.0', () => {
  const root = mkdtempSync(join(tmpdir(), 'paddock-zk-oracle-'));
  let verdicts: string[] = [];
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeAll(() => {
    const classes = join(root, 'classes');
    const cp = [classes, ...JARS.filter(existsSync)].join(':');
    const built = spawnSync('javac', ['-d', classes, '-cp', cp, SOURCE], { encoding: 'utf8', timeout: BOUND_MS });
    if (built.status !== 0) throw new Error(`javac failed: ${built.stderr}`);
    const args = CASES.map((c, i) => `${c.multiAddress ? 'multi:' : ''}${writeCase(join(root, String(i)), c)}`);
    const run = spawnSync('java', ['-cp', cp, 'ConfigOracle', ...args], { encoding: 'utf8', timeout: BOUND_MS });
    if (run.status !== 0) throw new Error(`ConfigOracle failed (${run.status ?? run.signal}): ${run.stderr}`);
    verdicts = run.stdout.trimEnd().split('\n');
    expect(verdicts).toHaveLength(CASES.length);
  }, BOUND_MS * 2);

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const verdict = verdicts[i]!;
    if (c.ours === 'standalone') expect(verdict).toMatch(/^OK false /);
    else if ('text' in c.ours) expect(verdict).toBe(`OK true ${c.ours.text.replaceAll('\n', '\\n')}`);
    else if (c.zooKeeper === 'same') expect(verdict).toMatch(/^ERR /);
    else expect(verdict).toMatch(/^OK /);
  });
});
