import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { databaseRolesSummary, runMigrations } from "@/lib/migrate";
import { databaseIsEmpty, seedDemoData } from "@/lib/services/seed";
import { seedDemoHistory } from "@/lib/services/seed-history";
import { printLogins } from "./print-logins";

// npm start: the quick start. Builds once if needed, applies migrations, seeds demo data and twelve
// months of demo history (so the dashboards show something real on first look) into an empty
// database, then serves on PORT (default 3000). The database handle is closed before the
// server starts: PGlite allows one process per data folder.
const e = env();
if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `next build` (about a minute)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await runMigrations();
console.log(`Database: ${databaseRolesSummary()}`);
if (e.seedDemoAllowed && (await databaseIsEmpty())) {
  const { password } = await seedDemoData();
  console.log("Seeding twelve months of demo history (orders, invoices, payments)…");
  // The history is a demo nicety: if it fails, say so and serve the demo data without it.
  try {
    const history = await seedDemoHistory();
    console.log(`Demo history: ${history.orders} orders (${history.seconds.toFixed(1)} s).`);
  } catch (error) {
    console.error(`Demo history could not be seeded (the app runs without it): ${error instanceof Error ? error.message : String(error)}`);
  }
  printLogins(password);
} else if (e.seedDemoAllowed) {
  printLogins(e.DEMO_PASSWORD);
}
await closeDb();

// server.mjs rather than `next start`: it hands the app the socket address (client IP). Plain
// node, not this tsx process: Next must not run under the react-server condition. The server gets
// the app role's URL only: the owner's credentials stay with the migrate step.
const serverEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(e.PORT), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
delete serverEnv.DATABASE_OWNER_URL;
const server = spawn(process.execPath, ["server.mjs"], { stdio: "inherit", env: serverEnv });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
