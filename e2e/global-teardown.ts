import postgres from "postgres";

export default async function teardown() {
  const name = process.env.E2E_DB_NAME;
  if (!name) return;
  const admin = postgres(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } catch {
    // PGlite fallback: nothing to drop.
  } finally {
    await admin.end({ timeout: 2 }).catch(() => {});
  }
}
