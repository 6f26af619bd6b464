/**
 * Inside each package the folders form a DAG: no two folders import each other, directly or
 * around a loop (`npm run lint:deps`). Shipped code only: a unit test may start what sits above
 * its folder (an rpc transport test starts a server), and testing/ helpers sit above everything.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      scope: 'folder',
      from: { path: '^packages/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|testing)/|\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.eslint.json' },
    tsPreCompilationDeps: true,
  },
};
