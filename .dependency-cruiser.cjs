/**
 * Layer rules (ARCHITECTURE.md), checked in CI by test/layers.test.ts (`npm run lint:layers`):
 * transport (HTTP, graphql-ws, CLI) → resolvers/commands → services → repositories → database.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles, type-only imports included. The one exception is src/generated: codegen\'s resolver types import the row types they map to, and resolvers import those types back.',
      from: { path: '^src/' },
      to: { circular: true, viaNot: '^src/generated/' },
    },
    {
      name: 'features-not-on-transport',
      severity: 'error',
      comment: 'Feature services, repositories, tables and commands never import the GraphQL transport: they take a domain scope, not a GraphQL context.',
      from: { path: '^src/modules/[^/]+/.+\\.(service|repository|table|command|job|relations)\\.ts$' },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'db-knows-no-feature',
      severity: 'error',
      comment: 'The database layer knows no feature; src/db/schema.ts (drizzle\'s schema aggregation of the feature tables) is the exception.',
      from: { path: '^src/db/', pathNot: '^src/db/schema\\.ts$' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'kernel-knows-no-feature',
      severity: 'error',
      comment: 'Shared kernel modules (errors, sanitation, config, logger) are imported by features, never the other way round.',
      from: { path: '^src/(errors|sanitize|config|logger)\\.ts$' },
      to: { path: '^src/(modules|graphql)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|src/generated/.*\\.d\\.ts)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
