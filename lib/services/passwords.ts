import "server-only";
import bcrypt from "bcryptjs";
import { env } from "@/lib/env";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, env().BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so a wrong email costs as long as a wrong password
// and the response time does not reveal which accounts exist.
let dummyHash: string | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= await bcrypt.hash("not-a-real-password-hash", env().BCRYPT_COST);
  await bcrypt.compare(password, dummyHash);
}
