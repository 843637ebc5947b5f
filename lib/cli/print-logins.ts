import { demoUsers } from "@/lib/services/seed";

export function printLogins(password: string): void {
  console.log("\nDemo logins (password for all: " + password + "):");
  for (const u of demoUsers) console.log(`  ${u.role.padEnd(15)} ${u.email}`);
  console.log("");
}
