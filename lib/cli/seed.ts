import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { printLogins } from "./print-logins";
import { seedDemoData } from "@/lib/services/seed";
import { seedDemoHistory } from "@/lib/services/seed-history";

// npm run db:seed: idempotent demo data. Refused in production unless SEED_DEMO_DATA=true.
// npm run db:seed -- --history: also twelve months of demo history (once; npm start seeds it into an empty database).
const history = process.argv.slice(2).includes("--history");
if (!env().seedDemoAllowed) {
  console.error("Demo data is not created in production. Set SEED_DEMO_DATA=true to force it, or create the first admin with `npm run user:create`.");
  process.exitCode = 1;
} else {
  const { created, products, password } = await seedDemoData();
  console.log(`Demo data ready (${created} new users, ${products} new products).`);
  if (history) {
    const added = await seedDemoHistory({ log: console.log });
    console.log(added.orders ? `Demo history: ${added.orders} orders over the past twelve months (${added.seconds.toFixed(1)} s).` : "Demo history: already present, nothing added.");
  }
  printLogins(password);
}
await closeDb();
