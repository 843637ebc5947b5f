import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { HydrationMarker } from "@/components/hydration-marker";
import { Toaster } from "@/components/ui";
import { inter } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Orderly B2B", template: "%s · Orderly B2B" },
  description: "Quote-to-cash for B2B sellers: catalogue, quotations, approvals, invoices and payments.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page renders per request: Next puts the nonce of the request's Content-Security-Policy
// (proxy.ts) on its scripts, and a page prerendered at build time would carry none and be blocked.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Toaster>{children}</Toaster>
        <HydrationMarker />
      </body>
    </html>
  );
}
