import type { DataNode } from '../../tree/data-node.js';
import type { DataTree } from '../../tree/data-tree.js';
import type { QuorumVerifier } from './quorum-verifier.js';

/** ZooDefs.CONFIG_NODE: where ZooKeeper keeps the ensemble's config text. */
export const CONFIG_NODE = '/zookeeper/config';

/**
 * Puts the ensemble's config text in /zookeeper/config as ZooKeeper's
 * ZKDatabase.initConfigInZKDatabase does on every server of an ensemble: the text in UTF-8,
 * dataVersion -1, mzxid the config version (0 for a static zoo.cfg), mtime the wall time now.
 * The node, its read-only world ACL (aclVersion -1) and its zero czxid/ctime come with every
 * DataTree. It is not a txn: nothing is logged and the tree's zxid does not move. The caller
 * fires the NodeDataChanged watches of /zookeeper/config, as ZooKeeper's setData does.
 */
export function setConfigNode(tree: DataTree, verifier: Pick<QuorumVerifier, 'text' | 'version'>, wallTime: number): DataNode {
  return tree.setData(CONFIG_NODE, Buffer.from(verifier.text, 'utf8'), -1, verifier.version, wallTime);
}
