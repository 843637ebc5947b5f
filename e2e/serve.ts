import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
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

// Two app instances on the one database, as a deployment with several instances runs them (the
// specs in e2e/instances.spec.ts race them): server.mjs (as `npm start` runs it: it hands the app
// the socket address) on PORT, and on E2E_SECOND_PORT what the Docker image runs, server.mjs
// beside the standalone output, when the build is standalone (npm run test:e2e builds it so;
// e2e/standalone.spec.ts smoke-tests it), else a second server.mjs. The standalone folder is
// copied out of the project first, with static files, public and server.mjs beside it as the
// Dockerfile copies them, so nothing missing from it is found in the project's node_modules instead.
// PGlite allows one process per data folder: no second instance there.
const port = process.env.PORT ?? "3100";
const secondPort = process.env.E2E_SECOND_PORT ?? String(Number(port) + 1);
const children: ChildProcess[] = [];
// The servers never see the owner's URL (least privilege: they connect as the app role).
const serverEnv: NodeJS.ProcessEnv = { ...process.env };
delete serverEnv.DATABASE_OWNER_URL;
let standaloneDir: string | undefined;

function start(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit", cwd: options.cwd, env: options.env ?? serverEnv });
  children.push(child);
  // Either instance stopping ends the run: the specs would otherwise fail far from the cause.
  child.on("exit", (code) => shutdown(code ?? 1));
  return child;
}

let stopping = false;
function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  if (standaloneDir) rmSync(standaloneDir, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => shutdown(0));

start(process.execPath, ["server.mjs"], { env: { ...serverEnv, PORT: port } });
if (dbEnv.DATABASE_URL) {
  if (existsSync(".next/standalone/server.js")) {
    // One folder per port, replaced on each run: Playwright may stop this script with SIGKILL,
    // and a fresh temporary folder each time would leave 80 MB behind per run.
    standaloneDir = path.join(tmpdir(), `b2b-standalone-${secondPort}`);
    rmSync(standaloneDir, { recursive: true, force: true });
    cpSync(".next/standalone", standaloneDir, { recursive: true });
    cpSync(".next/static", path.join(standaloneDir, ".next", "static"), { recursive: true });
    cpSync("public", path.join(standaloneDir, "public"), { recursive: true });
    cpSync("server.mjs", path.join(standaloneDir, "server.mjs"));
    console.log(`[e2e] standalone output with server.mjs from ${standaloneDir} on port ${secondPort}`);
    start(process.execPath, ["server.mjs"], { cwd: standaloneDir, env: { ...serverEnv, PORT: secondPort, HOSTNAME: "0.0.0.0" } });
  } else {
    console.log(`[e2e] no standalone build: a second server.mjs on port ${secondPort}`);
    start(process.execPath, ["server.mjs"], { env: { ...serverEnv, PORT: secondPort } });
  }
}
