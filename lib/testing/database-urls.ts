// The two roles tests use on a fresh test database (integration: global-setup; e2e: serve.ts).
// The owner is TEST_DATABASE_URL's role (a superuser locally): it runs migrations and the set-up SQL
// that deliberately bypasses the app. The app code connects as TEST_APP_ROLE, which the migrate step
// creates if missing and grants exactly the app's rights, so every test proves the app works with them.
// Roles are cluster-wide and shared by parallel runs (worktrees, CI) on one server: one fixed name,
// created idempotently (a lost creation race counts as success, db/roles.ts), never dropped; it holds
// rights only inside each test database, which go when the database is dropped.
export const TEST_APP_ROLE = "orderly_test_app";
const TEST_APP_PASSWORD = "orderly-test-app-password";

export function testDatabaseUrls(adminUrl: string, database: string): { ownerUrl: string; appUrl: string } {
  const owner = new URL(adminUrl);
  owner.pathname = `/${database}`;
  const app = new URL(owner);
  app.username = TEST_APP_ROLE;
  app.password = TEST_APP_PASSWORD;
  return { ownerUrl: owner.toString(), appUrl: app.toString() };
}
