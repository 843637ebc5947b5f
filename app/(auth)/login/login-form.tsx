"use client";

import { useActionState } from "react";
import { Input, SubmitButton } from "@/components/ui";
import { loginAction, type LoginState } from "./actions";

export function LoginForm({ callbackUrl, notice }: { callbackUrl?: string; notice?: string }) {
  const [state, action] = useActionState<LoginState, FormData>(loginAction, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      {notice && !state?.error && (
        <p role="status" className="rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {notice}
        </p>
      )}
      {state?.error && (
        <p data-testid="login-error" role="status" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <Input label="Email" name="email" type="email" autoComplete="username" required defaultValue={state?.email ?? ""} />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton className="w-full" pendingLabel="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
