import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { closeDb, db } from "@/db/client";
import { DomainError } from "@/lib/domain/errors";
import { roles, type Role } from "@/lib/domain/roles";
import { recordAudit } from "@/lib/services/audit";
import { insertUser } from "@/lib/services/users";
import { env } from "@/lib/env";

// npm run user:create -- --email ops@example.com --role admin [--name "Ops"] [--company <id>]
// The password comes from USER_PASSWORD or a prompt, never from the command line (shell history).
const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string", default: "admin" }, name: { type: "string" }, company: { type: "string" } },
});
if (!values.email || !roles.includes(values.role as Role)) {
  console.error(`Usage: npm run user:create -- --email you@example.com --role ${roles.join("|")} [--name "Name"] [--company <company id>]`);
  process.exit(2);
}
let password = env().USER_PASSWORD ?? "";
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question("Password (at least 12 characters): ");
  rl.close();
}
try {
  const user = await db.transaction(async (tx) => {
    const u = await insertUser(tx, { email: values.email!, name: values.name ?? values.email!, role: values.role as Role, companyId: values.company ?? null, password });
    await recordAudit(tx, { actor: "system", request: null }, { action: "user.create", entityType: "user", entityId: u.id, companyId: u.companyId, after: u });
    return u;
  });
  console.log(`Created ${user.role} ${user.email} (${user.id}).`);
} catch (error) {
  if (error instanceof DomainError) {
    console.error(`Not created: ${Object.values(error.fieldErrors ?? {}).flat()[0] ?? error.message}`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await closeDb();
}
