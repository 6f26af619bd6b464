/**
 * The layering between packages, which the build enforces (`npm run lint:deps`; npm test runs
 * it through test/rules/rules.test.ts). Packages are floors: edges at the bottom, then
 * coord-protocol; coord-server and coord-client on the protocol; registry on the client; rpc on
 * the registry; the console on the registry, handed to the AdminServer by coord-server's bin
 * launcher. Nothing imports coord-server but its own bin, tests, examples and benches.
 * Folder cycles inside a package are checked by .dependency-cruiser-folders.cjs.
 */
const pkg = (...names) => `^packages/(${names.join('|')})/`;

/** A rule: package `from` may import none of `forbidden`. */
const only = (name, from, forbidden, comment, pathNot) => ({
  name, comment, severity: 'error', from: { path: pkg(from), ...(pathNot ? { pathNot } : {}) }, to: { path: pkg(...forbidden) },
});

module.exports = {
  forbidden: [
    only('edges-imports-nothing-of-ours', 'edges',
      ['coord-protocol', 'coord-server', 'coord-client', 'registry', 'rpc', 'console'],
      'edges is the bottom floor: clock, logger, backoff, random, option errors.'),
    only('protocol-imports-only-edges', 'coord-protocol', ['coord-server', 'coord-client', 'registry', 'rpc', 'console'],
      'coord-protocol holds records, codecs and codes, with no I/O.'),
    only('server-imports-only-protocol-and-edges', 'coord-server', ['coord-client', 'registry', 'rpc', 'console'],
      'The server is built on the protocol alone. Its bin launcher is where the layers meet: it hands the console to the AdminServer.',
      '^packages/coord-server/bin/'),
    only('client-imports-only-protocol-and-edges', 'coord-client', ['coord-server', 'registry', 'rpc', 'console'],
      'The client works against any ZooKeeper server: it never imports ours.'),
    only('registry-builds-on-the-client', 'registry', ['coord-server', 'rpc', 'console'],
      'The registry never knows which server it talks to, and knows nothing of rpc.'),
    only('console-builds-on-the-registry', 'console', ['coord-server', 'rpc'],
      'The console reaches any coordination server through the client and the registry; server internals come in through an interface.'),
    only('rpc-reaches-coordination-through-the-registry', 'rpc', ['coord-protocol', 'coord-server', 'coord-client', 'console'],
      'rpc finds providers through the registry (or a static list); it never talks to a coordination server itself.'),
    {
      name: 'packages-never-import-tests-benches-or-examples',
      comment: "Shipped code and its unit tests stand alone: helpers live in a package's own testing/ folder.",
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(test|bench|examples|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/|^test/rules/\\.work/' },
    // Its paths map @paddock/x to packages/x/src, so imports between packages are seen as such.
    tsConfig: { fileName: 'tsconfig.eslint.json' },
    tsPreCompilationDeps: true,
  },
};
