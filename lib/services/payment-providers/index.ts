import "server-only";
import { env } from "@/lib/env";
import { signedTestProvider } from "./signed-test";
import type { PaymentProvider } from "./types";

/** Providers that are configured; bank transfers need none (remittances and statements). */
export function paymentProvider(id: string): PaymentProvider | null {
  const e = env();
  if (id === "signed-test" && e.PAYMENT_TEST_PROVIDER_SECRET) return signedTestProvider(e.PAYMENT_TEST_PROVIDER_SECRET);
  return null;
}
