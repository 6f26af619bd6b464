/**
 * zoo.cfg ensemble cases, each with what we make of it and what ZooKeeper 3.8.0 does with it.
 * Our unit tests check the first; test/quorum/config-vs-zookeeper.test.ts hands every case to
 * ZooKeeper's own QuorumPeerConfig and checks the second, so the `zooKeeper` column is
 * measured, not remembered. Every case gets HEAD first (dataDir is the caller's).
 */
export const HEAD = (dataDir: string): string => `dataDir=${dataDir}\nclientPort=2181\ninitLimit=5\nsyncLimit=2\n`;

const THREE = 'server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const TWO_MORE = 'server.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const P2 = 'server.2=127.0.0.1:2889:3889:participant\n';
const P3 = 'server.3=127.0.0.1:2890:3890:participant\n';

export interface ConfigCase {
  readonly name: string;
  /** zoo.cfg after HEAD. */
  readonly body: string;
  /** The myid file's content; default "1", null for none. */
  readonly myid?: string | null;
  /** Start ZooKeeper with -Dzookeeper.multiAddress.enabled=true (we read multiAddress.enabled from the body). */
  readonly multiAddress?: true;
  /** The /zookeeper/config text of an ensemble, 'standalone', or a substring of our error. */
  readonly ours: { readonly text: string } | 'standalone' | { readonly error: string };
  /**
   * ZooKeeper 3.8.0 on the same file: 'same' (the same text, or standalone, or it refuses too),
   * or 'accepts' where we refuse a config it takes (the reason is in the name).
   */
  readonly zooKeeper: 'same' | 'accepts';
}

export const CASES: readonly ConfigCase[] = [
  // Forms ZooKeeper takes, and the text it prints for them.
  { name: 'three participants', body: THREE, ours: { text: `server.1=127.0.0.1:2888:3888:participant\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'roles in any case, an observer', body: `server.1=127.0.0.1:2888:3888:PARTICIPANT\nserver.2=127.0.0.1:2889:3889:Observer\nserver.3=127.0.0.1:2890:3890\nserver.4=127.0.0.1:2891:3891\n`,
    ours: { text: `server.1=127.0.0.1:2888:3888:participant\nserver.2=127.0.0.1:2889:3889:observer\n${P3}server.4=127.0.0.1:2891:3891:participant\nversion=0` }, zooKeeper: 'same' },
  { name: 'this server is the observer', body: `server.1=127.0.0.1:2888:3888:observer\n${TWO_MORE}`,
    ours: { text: `server.1=127.0.0.1:2888:3888:observer\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'client parts: port only (0.0.0.0), host:port, bracketed IPv6', body: `server.1=127.0.0.1:2888:3888;2181\nserver.2=127.0.0.1:2889:3889;127.0.0.2:2182\nserver.3=127.0.0.1:2890:3890;[::1]:2183\n`,
    ours: { text: 'server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nserver.2=127.0.0.1:2889:3889:participant;127.0.0.2:2182\nserver.3=127.0.0.1:2890:3890:participant;[0:0:0:0:0:0:0:1]:2183\nversion=0' }, zooKeeper: 'same' },
  { name: 'IP literals printed as Java does', body: `server.1=127.0.0.01:2888:3888;127.1:2181\nserver.2=[::1]:2889:3889\nserver.3=[fe80::0001:0:0:0:abcd]:2890:3890;[::ffff:10.0.0.1]:2183\n`,
    ours: { text: 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nserver.2=[0:0:0:0:0:0:0:1]:2889:3889:participant\nserver.3=[fe80:0:0:1:0:0:0:abcd]:2890:3890:participant;10.0.0.1:2183\nversion=0' }, zooKeeper: 'same' },
  { name: 'host names kept as written', body: `server.1=localhost:2888:3888\nserver.2=zk-2.example:2889:3889\nserver.3=ZK3:2890:3890\n`,
    ours: { text: 'server.1=localhost:2888:3888:participant\nserver.2=zk-2.example:2889:3889:participant\nserver.3=ZK3:2890:3890:participant\nversion=0' }, zooKeeper: 'same' },
  { name: 'printed in hash order: 20 (bucket 4) before 5 and 10', body: `server.20=127.0.0.1:2888:3888\nserver.5=127.0.0.1:2889:3889\nserver.10=127.0.0.1:2890:3890\nserver.1=127.0.0.1:2891:3891\n`,
    ours: { text: 'server.1=127.0.0.1:2891:3891:participant\nserver.20=127.0.0.1:2888:3888:participant\nserver.5=127.0.0.1:2889:3889:participant\nserver.10=127.0.0.1:2890:3890:participant\nversion=0' }, zooKeeper: 'same' },
  { name: 'ids sharing a bucket (1, 17, 33) in the Properties order', body: `${THREE}server.17=127.0.0.1:2891:3891\nserver.33=127.0.0.1:2892:3892\n`,
    ours: { text: `server.33=127.0.0.1:2892:3892:participant\nserver.1=127.0.0.1:2888:3888:participant\nserver.17=127.0.0.1:2891:3891:participant\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'ids written with leading zeros: the order hashes the keys as written', body: `server.017=127.0.0.1:2891:3891\nserver.0001=127.0.0.1:2888:3888\n${TWO_MORE}`,
    ours: { text: `server.17=127.0.0.1:2891:3891:participant\nserver.1=127.0.0.1:2888:3888:participant\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'empty trailing parts (; ;; |) ignored, +port and leading zeros read', body: `server.1=127.0.0.1:+2888:03888;\nserver.2=127.0.0.1:2889:3889;;\nserver.3=127.0.0.1:2890:3890|\n`,
    ours: { text: `server.1=127.0.0.1:2888:3888:participant\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'role word trimmed; key and value split by spaces', body: `server.1 127.0.0.1:2888:3888:observer  \nserver.2 = 127.0.0.1:2889:3889\nserver.3:127.0.0.1:2890:3890\n`,
    ours: { text: `server.1=127.0.0.1:2888:3888:observer\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'several addresses, sorted by host, the role on any of them', multiAddress: true,
    body: `multiAddress.enabled=true\nserver.1=zz:2888:3888|aa:2891:3891:observer|mm:2892:3892;2181\n${TWO_MORE}`,
    ours: { text: `server.1=aa:2891:3891|mm:2892:3892|zz:2888:3888:observer;0.0.0.0:2181\n${P2}${P3}version=0` }, zooKeeper: 'same' },
  { name: 'one participant and standaloneEnabled=false: an ensemble of one', body: 'server.1=127.0.0.1:2888:3888\nstandaloneEnabled=false\n',
    ours: { text: 'server.1=127.0.0.1:2888:3888:participant\nversion=0' }, zooKeeper: 'same' },
  { name: 'one participant: standalone', body: 'server.1=127.0.0.1:2888:3888;2181\n', ours: 'standalone', zooKeeper: 'same' },
  { name: 'no server lines: standalone', body: '', myid: null, ours: 'standalone', zooKeeper: 'same' },
  // Lines ZooKeeper refuses too.
  { name: 'a space after a port', body: `server.1=127.0.0.1:2888:3888 \n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888:3888 : election port "3888 " is not a number (ZooKeeper reads server lines as written' }, zooKeeper: 'same' },
  { name: 'spaces around the colons', body: `server.1=127.0.0.1 : 2888 : 3888\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1 : 2888 : 3888: quorum port " 2888 " is not a number' }, zooKeeper: 'same' },
  { name: 'an unknown role', body: `server.1=127.0.0.1:2888:3888:leader\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888:3888:leader: unknown role "leader"' }, zooKeeper: 'same' },
  { name: 'one port', body: `server.1=127.0.0.1:2888\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888: expected host:quorumPort:electionPort' }, zooKeeper: 'same' },
  { name: 'a role too many', body: `server.1=127.0.0.1:2888:3888:observer:participant\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888:3888:observer:participant: expected host' }, zooKeeper: 'same' },
  { name: 'a client part of three fields', body: `server.1=127.0.0.1:2888:3888;a:b:2181\n${TWO_MORE}`, ours: { error: 'the client part must be port or host:port; got "a:b:2181"' }, zooKeeper: 'same' },
  { name: 'two client parts', body: `server.1=127.0.0.1:2888:3888;2181;x\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888:3888;2181;x: expected host' }, zooKeeper: 'same' },
  { name: 'an IPv6 host without ports', body: `server.1=[::1]\n${TWO_MORE}`, ours: { error: '"[::1]" has no port after ]' }, zooKeeper: 'same' },
  { name: 'an unclosed bracket', body: `server.1=[::1:2888:3888\n${TWO_MORE}`, ours: { error: '"[::1:2888:3888" starts with [ but has no matching ]' }, zooKeeper: 'same' },
  { name: 'an id that is not a number', body: `server.abc=127.0.0.1:2888:3888\n${THREE}`, ours: { error: 'line 5: bad value for server.abc=127.0.0.1:2888:3888: server id "abc" is not a number' }, zooKeeper: 'same' },
  { name: 'a port above 65535', body: `server.1=127.0.0.1:70000:3888\n${TWO_MORE}`, ours: { error: 'quorum port 70000 is out of range 1..65535' }, zooKeeper: 'same' },
  { name: 'a client port above 65535', body: `server.1=127.0.0.1:2888:3888;70000\n${TWO_MORE}`, ours: { error: 'client port 70000 is out of range 1..65535' }, zooKeeper: 'same' },
  { name: 'the same quorum and election port', body: `server.1=127.0.0.1:2888:2888\n${TWO_MORE}`, ours: { error: 'line 5: bad value for server.1=127.0.0.1:2888:2888: quorum port and election port must differ' }, zooKeeper: 'same' },
  { name: 'several addresses without multiAddress.enabled', body: `server.1=a:2888:3888|b:2888:3888\n${TWO_MORE}`, ours: { error: 'several addresses (|) need multiAddress.enabled=true' }, zooKeeper: 'same' },
  { name: 'addresses with different roles', multiAddress: true, body: `multiAddress.enabled=true\nserver.1=a:2888:3888:participant|b:2891:3891:observer\n${TWO_MORE}`, ours: { error: 'the addresses give different roles: participant and observer' }, zooKeeper: 'same' },
  { name: 'observers only', body: 'server.1=127.0.0.1:2888:3888:observer\nserver.2=127.0.0.1:2889:3889:observer\n', ours: { error: 'line 5 (server.1=127.0.0.1:2888:3888:observer): observers need participants' }, zooKeeper: 'same' },
  { name: 'one participant and an observer', body: 'server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889:observer\n', ours: { error: 'line 6 (server.2=127.0.0.1:2889:3889:observer): observers need a quorum of at least two participants' }, zooKeeper: 'same' },
  { name: 'standaloneEnabled=false and no servers', body: 'standaloneEnabled=false\n', ours: { error: 'standaloneEnabled=false needs at least one participant' }, zooKeeper: 'same' },
  { name: 'myid missing', body: THREE, myid: null, ours: { error: 'dataDir/myid is missing' }, zooKeeper: 'same' },
  { name: 'myid not a number', body: THREE, myid: 'one\n', ours: { error: 'holds "one": expected a server id from 0 to 254' }, zooKeeper: 'same' },
  { name: 'myid not listed (ZooKeeper refuses when the peer starts)', body: 'server.2=127.0.0.1:2888:3888\nserver.3=127.0.0.1:2889:3889\n', ours: { error: 'server id 1 is not listed in zoo.cfg (server ids 2, 3)' }, zooKeeper: 'same' },
  { name: 'electionAlg other than 3', body: `electionAlg=1\n${THREE}`, ours: { error: 'line 5: Invalid electionAlg value 1. Only 3 is supported.' }, zooKeeper: 'same' },
  { name: 'an unknown peerType', body: `peerType=voter\n${THREE}`, ours: { error: 'line 5: Unrecognised peertype: voter' }, zooKeeper: 'same' },
  { name: 'quorumListenOnAllIPs=yes', body: `quorumListenOnAllIPs=yes\n${THREE}`, ours: { error: "line 5: Invalid option yes for quorumListenOnAllIPs. Choose 'true' or 'false'." }, zooKeeper: 'same' },
  { name: 'an empty initLimit', body: `initLimit=\n${THREE}`, ours: { error: 'line 5: bad value for initLimit: ""' }, zooKeeper: 'same' },
  { name: 'the client part disagrees with clientPort', body: `server.1=127.0.0.1:2888:3888;127.0.0.1:2182\n${TWO_MORE}`, ours: { error: 'its client address 127.0.0.1:2182 disagrees with zoo.cfg line 2 (clientPort) (0.0.0.0:2181)' }, zooKeeper: 'same' },
  { name: 'dynamicConfigFile', body: `dynamicConfigFile=/nonexistent/zoo.cfg.dynamic\n${THREE}`, ours: { error: 'line 5: dynamicConfigFile is not supported yet' }, zooKeeper: 'same' },
  // Lines ZooKeeper takes and we refuse.
  { name: 'the same id twice (ZooKeeper keeps one and says nothing)', body: `server.1=127.0.0.1:2888:3888\nserver.01=127.0.0.1:2891:3891\n${TWO_MORE}`, ours: { error: 'line 6 (server.01=127.0.0.1:2891:3891): server id 1 is already listed at zoo.cfg line 5' }, zooKeeper: 'accepts' },
  { name: 'one address for two servers (ZooKeeper fails to bind later)', body: `server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2888:3889\nserver.3=127.0.0.1:2890:3890\n`, ours: { error: "line 6 (server.2=127.0.0.1:2888:3889): quorum address 127.0.0.1:2888 is already zoo.cfg line 5 (server.1=127.0.0.1:2888:3888)'s quorum address" }, zooKeeper: 'accepts' },
  { name: 'a client address on another server\'s election port', body: `server.1=127.0.0.1:2888:3888;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890;127.0.0.1:3889\n`, myid: '2', ours: { error: "client address 127.0.0.1:3889 is already zoo.cfg line 6 (server.2=127.0.0.1:2889:3889)'s election address" }, zooKeeper: 'accepts' },
  { name: 'one address twice in a line (ZooKeeper drops the copy)', multiAddress: true, body: `multiAddress.enabled=true\nserver.1=zz:2888:3888|zz:2888:3888\n${TWO_MORE}`, ours: { error: 'the address zz:2888:3888 is given twice' }, zooKeeper: 'accepts' },
  { name: 'port 0 (ZooKeeper takes it)', body: `server.1=127.0.0.1:0:3888\n${TWO_MORE}`, ours: { error: 'quorum port 0 is out of range 1..65535' }, zooKeeper: 'accepts' },
  { name: 'a negative server id (ZooKeeper takes it)', body: `server.-1=127.0.0.1:2891:3891\n${THREE}`, ours: { error: 'server id "-1" is not a number' }, zooKeeper: 'accepts' },
  { name: 'myid 255 (ZooKeeper takes it unless extendedTypesEnabled)', body: `server.255=127.0.0.1:2891:3891\n${THREE}`, myid: '255', ours: { error: 'holds "255": expected a server id from 0 to 254' }, zooKeeper: 'accepts' },
  { name: 'peerType contradicting the own line (ZooKeeper warns and follows the line)', body: `peerType=observer\n${THREE}`, ours: { error: "line 5 (peerType): peerType=observer contradicts this server's own line, zoo.cfg line 6" }, zooKeeper: 'accepts' },
  { name: 'reconfigEnabled=true (not supported yet)', body: `reconfigEnabled=true\n${THREE}`, ours: { error: 'line 5: reconfigEnabled=true: dynamic reconfiguration is not supported yet' }, zooKeeper: 'accepts' },
  { name: 'hierarchical quorums (not supported yet)', body: `${THREE}group.1=1:2:3\n`, ours: { error: 'line 8: group.1: hierarchical quorums (group.N, weight.N) are not supported yet' }, zooKeeper: 'accepts' },
];
