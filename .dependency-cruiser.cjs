/** Layering rules (ARCHITECTURE.md): libs are pure, modules talk through what they export. */
module.exports = {
  forbidden: [
    {
      name: 'lib-no-framework',
      severity: 'error',
      comment: 'libs/* are pure TypeScript: no Nest, no ORM, no app code',
      from: { path: '^libs/[^/]+/src' },
      to: { path: '(^|/)node_modules/(@nestjs/|typeorm/|fastify/|pg/)|^src/' },
    },
    {
      name: 'lib-no-other-lib-internals',
      severity: 'error',
      comment: 'a lib may use another lib only through its package entry (src/index.ts)',
      from: { path: '^libs/([^/]+)/src' },
      to: { path: '^libs/([^/]+)/src/(?!index\\.ts$)', pathNot: '^libs/$1/src' },
    },
    {
      name: 'no-app-from-common',
      severity: 'error',
      comment: 'src/common is shared plumbing and must not depend on feature modules',
      from: { path: '^src/common' },
      to: { path: '^src/modules' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: ['\\.spec\\.ts$', '^libs/[^/]+/dist/'] },
  },
};
