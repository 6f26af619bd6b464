import { fourLetter } from '../../support/zookeeper.js';

/** One row of the mntr of the server (ZooKeeper or Paddock) on `port`, or undefined when it prints none. */
export async function mntrRow(port: number, key: string): Promise<string | undefined> {
  const mntr = await fourLetter(port, 'mntr', '127.0.0.1', 2000);
  return new RegExp(`^zk_${key}\t(.*)$`, 'm').exec(mntr)?.[1];
}
