"use server";

import { notAForm } from "@/lib/action";
import { redirect } from "next/navigation";
import { z } from "zod";
import { LoginFailed, signIn } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/domain/route-access";
import { homePathFor } from "@/lib/services/authentication";

export type LoginState = { error?: string; email?: string } | null;

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024),
  callbackUrl: z.string().optional(),
});

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  if (!(form instanceof FormData)) return { error: notAForm.error };
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  // Both fields empty: say so for both at once.
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join(" "), email: String(form.get("email") ?? "") };
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
  } catch (error) {
    if (error instanceof LoginFailed) return { error: error.userMessage, email: parsed.data.email };
    throw error;
  }
  // Signed in: send the user where they were going, else to their side's home page.
  redirect(safeRedirectPath(parsed.data.callbackUrl) ?? (await homePathFor(parsed.data.email)));
}
