import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { testDatabaseUrls } from "./database-urls";

// Creates a fresh database for this run on the PostgreSQL at TEST_DATABASE_URL (default: the local
// server), migrates it, and drops it afterwards. Without a reachable server, tests run on an
// in-memory PGlite instead (concurrency tests then skip: one embedded connection cannot race).
// The app code connects as the least-privileged app role, migrations as the owner (database-urls.ts).

declare module "vitest" {
  export interface ProvidedContext {
    /** The app role's URL (DATABASE_URL). */
    databaseUrl: string | null;
    /** The owner's URL (DATABASE_OWNER_URL): migrations, and tests that must bypass the app's rights. */
    ownerDatabaseUrl: string | null;
  }
}

const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export default async function setup(project: TestProject) {
  const name = `b2b_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin`select 1`;
  } catch {
    await admin.end({ timeout: 1 }).catch(() => {});
    console.warn(`[tests] PostgreSQL not reachable at ${adminUrl}: integration tests use in-memory PGlite.`);
    project.provide("databaseUrl", null);
    project.provide("ownerDatabaseUrl", null);
    return;
  }
  await admin.unsafe(`create database "${name}"`);
  const { ownerUrl, appUrl } = testDatabaseUrls(adminUrl, name);
  project.provide("databaseUrl", appUrl);
  project.provide("ownerDatabaseUrl", ownerUrl);
  console.log(`[tests] using fresh database ${name}`);
  return async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  };
}
