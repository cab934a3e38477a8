import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store's schema and migrations (the SQLite ones are in drizzle.config.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations/pg',
});
