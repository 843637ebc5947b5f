import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { isCustomerRole } from "@/lib/domain/roles";
import { getActor } from "@/lib/session";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getActor();
  if (actor) redirect(isCustomerRole(actor.role) ? "/" : "/admin");
  const params = await searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : undefined;
  const notice =
    params.reason === "password-changed"
      ? "Your password was changed. Sign in with the new one."
      : params.reason === "signed-out-everywhere"
        ? "You were signed out on every device."
        : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-lg font-semibold text-brand-700">Orderly B2B</p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
          <LoginForm callbackUrl={callbackUrl} notice={notice} />
        </div>
      </div>
    </main>
  );
}
