import type { Metadata } from "next";
import { LinkButton } from "@/components/ui";

export const metadata: Metadata = { title: "Page not found" };

// Also shown when a signed-in user lacks the permission for a page: a 404 reveals nothing.
export default function AdminNotFound() {
  return (
    <div className="mx-auto max-w-lg py-12 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">The page does not exist, or your account cannot open it.</p>
      <LinkButton href="/admin" className="mt-6">
        Go to the home page
      </LinkButton>
    </div>
  );
}
