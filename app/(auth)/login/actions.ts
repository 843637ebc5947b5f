"use server";

import { z } from "zod";
import { LoginFailed, signIn } from "@/lib/auth";

export type LoginState = { error?: string; email?: string } | null;

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths are followed after login, never another origin. */
function safeCallback(url: string | undefined): string {
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email: String(form.get("email") ?? "") };
  try {
    // On success signIn throws Next's redirect, which must propagate.
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: safeCallback(parsed.data.callbackUrl) });
    return null;
  } catch (error) {
    if (error instanceof LoginFailed) return { error: error.userMessage, email: parsed.data.email };
    throw error;
  }
}
