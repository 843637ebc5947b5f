import { inject } from "vitest";

// Runs before each integration test file's imports, so lib/env sees the test database.
// DATABASE_URL is the least-privileged app role; DATABASE_OWNER_URL the owner that migrates.
const url = inject("databaseUrl");
const ownerUrl = inject("ownerDatabaseUrl");
if (url && ownerUrl) {
  process.env.DATABASE_URL = url;
  process.env.DATABASE_OWNER_URL = ownerUrl;
} else {
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_OWNER_URL;
  process.env.PGLITE_DIR = "memory://";
}
process.env.DATABASE_POOL_SIZE ??= "20";
process.env.BCRYPT_COST ??= "4"; // hashing speed is not what these tests measure
process.env.PAYMENT_TEST_PROVIDER_SECRET ??= "test-provider-secret-0123456789";
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123";
