import { closeDb, dbMode } from "@/db/client";
import { runMigrations } from "@/lib/migrate";

// npm run db:migrate: applies db/migrations to DATABASE_URL, or to the embedded database under .data/.
await runMigrations();
console.log(`Migrations applied (${dbMode() === "postgres" ? "PostgreSQL" : "embedded PGlite"}).`);
await closeDb();
