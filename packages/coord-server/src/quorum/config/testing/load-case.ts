import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD, type ConfigCase } from './config-cases.js';

/** Writes a case as ZooKeeper would find it: `<dir>/zoo.cfg` and `<dir>/data/myid`; returns the zoo.cfg path. */
export function writeCase(dir: string, c: ConfigCase): string {
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const myid = c.myid === undefined ? '1\n' : c.myid;
  if (myid !== null) writeFileSync(join(data, 'myid'), myid);
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(cfg, HEAD(data) + c.body);
  return cfg;
}
