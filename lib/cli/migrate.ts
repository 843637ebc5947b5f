import { closeDb } from "@/db/client";
import { databaseRolesSummary, runMigrations } from "@/lib/migrate";

// npm run db:migrate: applies db/migrations to DATABASE_URL (as DATABASE_OWNER_URL's role when set, then
// grants the app role its rights), or to the embedded database under .data/.
await runMigrations();
console.log(`Migrations applied: ${databaseRolesSummary()}.`);
await closeDb();
