import { defineConfig } from "drizzle-kit";

// drizzle-kit is used to generate migrations (`npm run db:generate`); they are applied by
// `npm run db:migrate` (lib/cli/migrate.ts), which handles both PostgreSQL and embedded PGlite.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
