import { describe, expect, it } from 'vitest';
import { Ids } from '@paddock/coord-protocol';
import { CAPTURED_CONFIG_TEXT } from '../../admin/testing/fake-quorum.js';
import { DataTree } from '../../tree/data-tree.js';
import { parseConfigText } from './config-text.js';
import { CONFIG_NODE, setConfigNode } from './config-node.js';

/**
 * What a real ZooKeeper 3.8.0 ensemble (Debian's, 2 voters + 1 observer on loopback) showed
 * for /zookeeper/config through zkCli.sh `config -s` and `getAcl -s /zookeeper/config`:
 *
 *   server.1=127.0.0.1:36095:39335:participant
 *   server.2=127.0.0.1:37429:38635:participant
 *   server.3=127.0.0.1:43117:33957:observer
 *   version=0
 *   cZxid = 0x0  ctime = Thu Jan 01 00:00:00 UTC 1970  mZxid = 0x0  mtime = <when the server started>
 *   pZxid = 0x0  cversion = 0  dataVersion = -1  aclVersion = -1  ephemeralOwner = 0x0
 *   dataLength = 135  numChildren = 0
 *   'world,'anyone : r
 */
const TEXT = CAPTURED_CONFIG_TEXT;

describe('setConfigNode', () => {
  it('holds the config text with the Stat and ACL ZooKeeper gives /zookeeper/config', () => {
    const tree = new DataTree();
    const before = tree.approximateDataSize;
    setConfigNode(tree, parseConfigText(TEXT), 1_796_605_669_000);
    const node = tree.getNode(CONFIG_NODE)!;
    expect(node.data?.toString('utf8')).toBe(TEXT);
    expect(tree.statOf(CONFIG_NODE)).toEqual({
      czxid: 0, mzxid: 0, ctime: 0, mtime: 1_796_605_669_000, version: -1, cversion: 0, aversion: -1,
      ephemeralOwner: 0n, dataLength: 135, numChildren: 0, pzxid: 0,
    });
    expect(node.acl).toEqual(Ids.READ_ACL_UNSAFE);
    expect(tree.approximateDataSize).toBe(before + 135);
    // Not a txn: the tree's zxid stays.
    expect(tree.lastProcessedZxid).toBe(0);
  });

  it('mzxid is the config version, and a new text replaces the old one', () => {
    const tree = new DataTree();
    setConfigNode(tree, parseConfigText(TEXT), 5);
    const next = 'server.1=127.0.0.1:36095:39335:participant\nversion=100000003';
    setConfigNode(tree, parseConfigText(next), 6);
    expect(tree.getNode(CONFIG_NODE)!.data?.toString('utf8')).toBe(next);
    expect(tree.statOf(CONFIG_NODE)).toMatchObject({ mzxid: 0x100000003, mtime: 6, version: -1, dataLength: next.length });
  });
});
