import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optionsFromZooCfg } from './from-zoo-cfg.js';
import { ConfigError, loadZooCfg, parseZooCfg } from './zoo-cfg.js';

const GOOD = `
# a typical standalone config
tickTime=2000
initLimit=10
syncLimit=5
dataDir=/var/lib/zk
dataLogDir=logs
clientPort=2181
clientPortAddress=127.0.0.1
maxClientCnxns=60
minSessionTimeout=4000
maxSessionTimeout=40000
snapCount=100000
forceSync=no
autopurge.snapRetainCount=3
autopurge.purgeInterval=1
4lw.commands.whitelist=ruok, srvr,stat
admin.enableServer=true
admin.serverAddress=127.0.0.1
admin.serverPort=8080
jute.maxbuffer=1048575
extendedTypesEnabled=true
superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=
server.1=10.0.0.1:2888:3888
server.2=10.0.0.2:2888:3888:observer;10.0.0.2:2181
someFutureKey=1
`;

describe('zoo.cfg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paddock-cfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every key Paddock honours, resolving relative dirs against the file', () => {
    const c = parseZooCfg(GOOD, '/etc/zk');
    expect(c).toMatchObject({
      tickTime: 2000, initLimit: 10, syncLimit: 5, dataDir: '/var/lib/zk', dataLogDir: '/etc/zk/logs', port: 2181,
      host: '127.0.0.1', maxClientCnxns: 60, minSessionTimeout: 4000, maxSessionTimeout: 40000, snapCount: 100000,
      forceSync: false, snapRetainCount: 3, purgeIntervalHours: 1, adminEnabled: true, adminHost: '127.0.0.1',
      adminPort: 8080, maxBuffer: 1048575, extendedTypesEnabled: true, superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
    });
    expect([...c.fourLetterWords!]).toEqual(['ruok', 'srvr', 'stat']);
    expect(c.servers).toEqual([
      { spec: { id: 1, addresses: [{ host: '10.0.0.1', quorumPort: 2888, electionPort: 3888 }], role: 'participant' }, where: 'zoo.cfg line 24 (server.1=10.0.0.1:2888:3888)', key: 'server.1' },
      {
        spec: { id: 2, addresses: [{ host: '10.0.0.2', quorumPort: 2888, electionPort: 3888 }], role: 'observer', client: { host: '10.0.0.2', port: 2181 } },
        where: 'zoo.cfg line 25 (server.2=10.0.0.2:2888:3888:observer;10.0.0.2:2181)', key: 'server.2',
      },
    ]);
    expect(c.unknownKeys).toEqual(['someFutureKey']);
  });

  it.each([
    ['tickTime=abc', 'zoo.cfg line 1: bad value for tickTime: "abc" (expected an integer)'],
    ['clientPort=70000', 'bad value for clientPort: "70000" (expected 0..65535)'],
    ['forceSync=maybe', 'bad value for forceSync: "maybe"'],
    ['4lw.commands.whitelist=ruok,hack', 'unknown four-letter word hack'],
    ['server.1=host-only', 'bad value for server.1'],
    ['server.x=a:1:2', 'bad value for server.x'],
    ['superDigest=nocolon', 'bad value for superDigest'],
    ['justaword', 'zoo.cfg line 1: cannot parse line "justaword"'],
    ['tickTime=2000\n\n=2181', 'zoo.cfg line 3: cannot parse line "=2181"'],
  ])('rejects %j', (text, msg) => {
    expect(() => parseZooCfg(text)).toThrow(ConfigError);
    expect(() => parseZooCfg(text)).toThrow(msg);
  });

  it.each([
    ['secureClientPort=2281', 'secureClientPort (TLS client connections) is not supported yet'],
    ['secureClientPortAddress=0.0.0.0', 'secureClientPortAddress (TLS client connections)'],
    ['ssl.keyStore.location=/etc/zk/ks.jks', 'ssl.keyStore.location (TLS)'],
    ['ssl.quorum.trustStore.location=/x', 'ssl.quorum.trustStore.location (TLS)'],
    ['sslQuorum=true', 'sslQuorum (TLS between servers)'],
    ['client.portUnification=true', 'client.portUnification (TLS and plaintext on one port)'],
    ['authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider', 'authProvider.1 (an authentication provider)'],
    ['zookeeper.authProvider.sasl=x', 'zookeeper.authProvider.sasl (an authentication provider)'],
    ['quorum.auth.enableSasl=true', 'quorum.auth.enableSasl (SASL between servers)'],
    ['quorum.auth.learnerRequireSasl=true', 'quorum.auth.learnerRequireSasl (SASL between servers)'],
    ['enforce.auth.enabled=true', 'enforce.auth.enabled (required client authentication)'],
    ['sessionRequireClientSASLAuth=true', 'sessionRequireClientSASLAuth (SASL client authentication)'],
    ['X509AuthenticationProvider.superUser=CN=admin', 'X509AuthenticationProvider.superUser (SASL or x509 identities)'],
    ['kerberos.removeHostFromPrincipal=true', 'kerberos.removeHostFromPrincipal'],
    ['DigestAuthenticationProvider.digestAlg=SHA-256', 'digest ACLs hashed with SHA-256'],
    ['skipACL=yes', 'skipACL (serving every znode without ACL checks)'],
  ])('refuses the security setting %j instead of serving without it', (text, msg) => {
    expect(() => parseZooCfg(text)).toThrow(ConfigError);
    expect(() => parseZooCfg(text)).toThrow(msg);
    expect(() => parseZooCfg(text)).toThrow('Remove it, or use Apache ZooKeeper where you need it');
  });

  it('takes the security settings it honours: the super digest by ZooKeeper\'s own key, SHA1 digests, ACLs on', () => {
    const c = parseZooCfg('DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=\nDigestAuthenticationProvider.digestAlg=SHA1\nskipACL=no\n');
    expect(c).toMatchObject({ superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=', unknownKeys: [] });
  });

  it('reads enforceQuota as ZooKeeper\'s zookeeper.enforceQuota, by either name, true or false only', () => {
    expect(parseZooCfg('enforceQuota=true\n').enforceQuota).toBe(true);
    expect(parseZooCfg('zookeeper.enforceQuota=False\n').enforceQuota).toBe(false);
    expect(() => parseZooCfg('enforceQuota=yes please\n')).toThrow("Invalid option yes please for enforceQuota. Choose 'true' or 'false'.");
  });

  it('reads snapshotSizeFactor as ZooKeeper\'s zookeeper.snapshotSizeFactor: a fraction up to 1, any negative meaning off', () => {
    expect(parseZooCfg('snapshotSizeFactor=0.5\n').snapshotSizeFactor).toBe(0.5);
    expect(parseZooCfg('snapshotSizeFactor=-5\n').snapshotSizeFactor).toBe(-1);
    for (const bad of ['1.5', 'lots', '']) expect(() => parseZooCfg(`snapshotSizeFactor=${bad}\n`)).toThrow(/snapshotSizeFactor/);
  });

  it('reads ZooKeeper\'s Prometheus provider keys, and no port 7000 under another provider', () => {
    const prom = 'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider\n';
    expect(parseZooCfg(prom).metricsProvider).toEqual({});
    expect(optionsFromZooCfg(parseZooCfg(`${prom}metricsProvider.httpPort=7001\nmetricsProvider.httpHost=127.0.0.1\nmetricsProvider.exportJvmInfo=false\n`)).options.metricsProvider)
      .toEqual({ port: 7001, host: '127.0.0.1', processMetrics: false });
    expect(parseZooCfg(`${prom}metricsProvider.exportJvmInfo=TRUE\nmetricsProvider.numWorkerThreads=4\n`).metricsProvider).toEqual({ processMetrics: true });
    const other = 'metricsProvider.className=org.apache.zookeeper.metrics.impl.DefaultMetricsProvider\nmetricsProvider.httpPort=7001\n';
    expect(parseZooCfg(other).metricsProvider).toBeUndefined();
    expect(parseZooCfg('metricsProvider.httpPort=7001\n').metricsProvider).toBeUndefined();
    expect(() => parseZooCfg('metricsProvider.className=com.example.Mine\n')).toThrow(
      /zoo.cfg line 1: bad value for metricsProvider.className: "com.example.Mine" \(Paddock serves org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider/);
    expect(() => parseZooCfg(`${prom}metricsProvider.httpPort=70000\n`)).toThrow('bad value for metricsProvider.httpPort: "70000" (expected 0..65535)');
  });

  it('takes the server id from dataDir/myid and names a bad one', () => {
    const data = join(dir, 'data');
    const cfg = join(dir, 'zoo.cfg');
    writeFileSync(cfg, 'dataDir=data\n');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'myid'), '7\n');
    expect(loadZooCfg(cfg)).toMatchObject({ dataDir: data, serverId: 7 });
    writeFileSync(join(data, 'myid'), 'seven\n');
    expect(() => loadZooCfg(cfg)).toThrow(/myid .*"seven"/);
    // ZooKeeper reads the first line as it is: a space after the id is not a number.
    writeFileSync(join(data, 'myid'), '7 \n');
    expect(() => loadZooCfg(cfg)).toThrow(/myid .*"7 "/);
    expect(() => loadZooCfg(join(dir, 'missing.cfg'))).toThrow(/cannot read config file/);
  });
});
