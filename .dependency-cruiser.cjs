// Layering rules checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
// The shape is "many front ends over one core" (README, "Project layout"): the core knows nothing
// of HTTP or SQL, dialects only talk to the core, and no dialect leans on another.
/** npm packages that are HTTP or SQL machinery; types-only imports count too (tsPreCompilationDeps). */
const HTTP_OR_SQL = '^node_modules/(fastify|fastify-[^/]+|@fastify/[^/]+|better-sqlite3|@types/better-sqlite3|drizzle-orm|drizzle-kit)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-adapters',
      comment: 'src/core is the label/assignment core: it may import only itself, node: built-ins and pure libraries — never db, http, dialects, admin, app, server, cli or config.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'core-imports-no-http-or-sql-packages',
      comment: 'The core knows nothing of HTTP or SQL: no fastify, better-sqlite3 or drizzle-orm (the db adapters implement its ports).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: HTTP_OR_SQL },
    },
    {
      name: 'dialect-imports-no-other-dialect',
      comment: 'Each dialect is self-contained: src/dialects/<a>/ never imports src/dialects/<b>/ (shared helpers go in src/dialects/types.ts, src/http or the core).',
      severity: 'error',
      from: { path: '^src/dialects/([^/]+)/' },
      to: { path: '^src/dialects/[^/]+/', pathNot: '^src/dialects/$1/' },
    },
    {
      name: 'dialect-imports-no-db',
      comment: 'Dialects reach storage only through the core; no src/db, no SQL packages.',
      severity: 'error',
      from: { path: '^src/dialects/' },
      to: { path: ['^src/db/', '^node_modules/(better-sqlite3|@types/better-sqlite3|drizzle-orm)/'] },
    },
    {
      name: 'db-imports-no-front-ends',
      comment: 'Storage implements the core\'s ports and knows nothing of who calls them: src/db never imports dialects, http, admin, app, server or cli.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(dialects|http|admin)/|^src/(app|server|cli)\\.ts$' },
    },
    {
      name: 'store-logic-imports-no-driver',
      comment: 'src/db/store is written once for both databases, against the query interface in store/db.ts: no driver module, no driver package.',
      severity: 'error',
      from: { path: '^src/db/store/' },
      to: { path: ['^src/db/(sqlite|pg)/', '^node_modules/(better-sqlite3|@types/better-sqlite3|pg|@types/pg|drizzle-orm)/'] },
    },
    {
      name: 'pg-imports-no-sqlite',
      comment: 'The PostgreSQL driver stands alone: nothing from src/db/sqlite (shared logic lives in src/db/store).',
      severity: 'error',
      from: { path: '^src/db/pg/' },
      to: { path: '^src/db/sqlite/' },
    },
    {
      name: 'sqlite-imports-no-pg',
      comment: 'The SQLite driver stands alone: nothing from src/db/pg.',
      severity: 'error',
      from: { path: '^src/db/sqlite/' },
      to: { path: '^src/db/pg/' },
    },
    {
      name: 'http-imports-no-dialects-or-db',
      comment: 'src/http is the machinery every dialect shares: it never reaches into a dialect or into storage.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(dialects|db)/' },
    },
    {
      name: 'front-ends-reach-core-through-its-entry',
      comment: 'Dialects, the admin API, http, the app, server and CLI use the core only through src/core/index.ts, its public entry.',
      severity: 'error',
      from: { path: '^src/(dialects|http|admin)/|^src/(app|server|cli)\\.ts$' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'Circular imports make initialisation order fragile and layers meaningless. A cycle closed only by `import type` edges is erased at compile time and allowed (e.g. a serializer importing the types of the module that calls it).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved would hide a dependency from the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type { FastifyRequest } from 'fastify'` in the core is still a leak.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
