import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store (issue 16): same tables as drizzle.config.ts, generated from db/schema-pg.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg.ts',
  out: './db/migrations-pg',
});
