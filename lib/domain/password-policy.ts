import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128; // bcrypt reads 72 bytes; the cap also bounds hashing cost.

// ~49,000 leaked passwords from zxcvbn-ts's maintained list.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"]);
  return common;
}

/** Returns why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  // "password1234" or "qwerty!!!!!!" are a common password with padding: strip it and look again.
  const core = lower.replace(/[^a-z]+$/u, "").replace(/^[^a-z]+/u, "");
  if (commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core))) {
    return "This password is too common. Choose a less predictable one.";
  }
  if (/^(.)\1+$/u.test(password)) return "This password is too predictable. Choose another.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return "The password must not contain your email address.";
  return null;
}
