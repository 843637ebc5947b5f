import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { testDatabaseUrls } from "@/lib/testing/database-urls";

// Playwright's webServer: a fresh database (PostgreSQL when reachable, else PGlite in a temp
// folder), migrated and seeded like the quick start, then server.mjs (Next's request handler) on the production build.
// Migrations run as the owner (DATABASE_OWNER_URL); the seed and the server as the least-privileged
// app role (DATABASE_URL), and the server never sees the owner's URL.
const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const dbName = process.env.E2E_DB_NAME!;

async function prepareDatabase(): Promise<Record<string, string>> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin`select 1`;
  } catch {
    await admin.end({ timeout: 1 }).catch(() => {});
    const dir = mkdtempSync(path.join(tmpdir(), "b2b-e2e-"));
    console.log(`[e2e] PostgreSQL not reachable: embedded PGlite in ${dir}`);
    return { PGLITE_DIR: dir };
  }
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  const { ownerUrl, appUrl } = testDatabaseUrls(adminUrl, dbName);
  console.log(`[e2e] fresh PostgreSQL database ${dbName}, app role ${new URL(appUrl).username}`);
  return { DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl };
}

const dbEnv = await prepareDatabase();
Object.assign(process.env, dbEnv, { SEED_DEMO_DATA: "true" });

// Imported after the environment is set: lib/env reads it once.
const { closeDb, db } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { seedDemoData } = await import("@/lib/services/seed");
const { insertUser } = await import("@/lib/services/users");
const { eq } = await import("drizzle-orm");
const { companies } = await import("@/db/schema");
const { env } = await import("@/lib/env");

await runMigrations();
await seedDemoData();
// An account of its own for the throttling test, so locking it out disturbs no other test.
await db.transaction(async (tx) => {
  const [acme] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.name, "Acme Industrial Supply"));
  await insertUser(tx, { email: "throttle@acme.test", name: "Throttle Target", role: "buyer", companyId: acme!.id, password: env().DEMO_PASSWORD });
});
await closeDb();

// server.mjs, as `npm start` and the Docker image run it: it passes the socket address to the app.
const serverEnv: NodeJS.ProcessEnv = { ...process.env, PORT: process.env.PORT ?? "3100" };
delete serverEnv.DATABASE_OWNER_URL;
const server = spawn(process.execPath, ["server.mjs"], { stdio: "inherit", env: serverEnv });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
