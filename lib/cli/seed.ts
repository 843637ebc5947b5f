import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { printLogins } from "./print-logins";
import { seedDemoData } from "@/lib/services/seed";

// npm run db:seed: idempotent demo data. Refused in production unless SEED_DEMO_DATA=true.
if (!env().seedDemoAllowed) {
  console.error("Demo data is not created in production. Set SEED_DEMO_DATA=true to force it, or create the first admin with `npm run user:create`.");
  process.exitCode = 1;
} else {
  const { created, products, password } = await seedDemoData();
  console.log(`Demo data ready (${created} new users, ${products} new products).`);
  printLogins(password);
}
await closeDb();
