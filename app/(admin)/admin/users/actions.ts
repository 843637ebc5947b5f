"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { revokeAllUserSessions, revokeUserSession } from "@/lib/services/sessions";
import { createUser, resetUserPassword, setSpendingLimits, setUserActive, updateUser } from "@/lib/services/users";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// A user change shows on the dashboard, the user pages and the customer pages, hence the whole /admin tree.

export async function createUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createUser, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/admin", "layout");
  redirect(`/admin/users/${result.data.id}?created=1`);
}

export async function updateUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateUser, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Changes saved.");
}

export async function setUserActiveAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setUserActive, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok && result.data.active ? "User reactivated." : "User deactivated.");
}

export async function resetUserPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(resetUserPassword, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Password reset. The user's sessions have ended; give them the new password.");
}

export async function setSpendingLimitsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setSpendingLimits, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Spending limits saved.");
}

export async function revokeUserSessionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(revokeUserSession, form);
  if (result.ok) revalidatePath("/admin/users", "layout");
  return toFormState(result, form, result.ok && result.data.revoked === 0 ? "That session had already ended." : "Session revoked.");
}

export async function revokeAllUserSessionsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(revokeAllUserSessions, form);
  if (result.ok) revalidatePath("/admin/users", "layout");
  const n = result.ok ? result.data.revoked : 0;
  return toFormState(result, form, n === 0 ? "The user had no active sessions." : `${n} session${n === 1 ? "" : "s"} revoked.`);
}
