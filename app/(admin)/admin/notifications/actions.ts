"use server";

import { revalidatePath } from "next/cache";
import { performMutation } from "@/lib/action";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/service";

// Thin adapters: the service scopes to the signed-in user, audits, and runs in one transaction.
// Re-rendering the layout refreshes the header's unread count.

export async function markNotificationReadAction(form: FormData): Promise<void> {
  if (!(form instanceof FormData)) return;
  const result = await performMutation(markNotificationRead, form);
  if (result.ok) revalidatePath("/admin/notifications", "layout");
}

export async function markAllNotificationsReadAction(form: FormData): Promise<void> {
  if (!(form instanceof FormData)) return;
  const result = await performMutation(markAllNotificationsRead, {});
  if (result.ok) revalidatePath("/admin/notifications", "layout");
}
