"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { signOut } from "@/lib/auth";
import { signOutEverywhere } from "@/lib/services/sessions";
import { changeOwnPassword } from "@/lib/services/users";
import { setNotificationPreferences } from "@/lib/notifications/service";

// Staff's own account: the same services as the portal's account page (actions are not shared
// across route groups).

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(changeOwnPassword, form);
  if (!result.ok) return toFormState(result, form);
  // The change revoked every session of the user, this one included; clear the cookie.
  await signOut({ redirectTo: "/login?reason=password-changed" });
  return null;
}

export async function signOutEverywhereAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(signOutEverywhere, form);
  if (!result.ok) return toFormState(result, form);
  await signOut({ redirectTo: "/login?reason=signed-out-everywhere" });
  return null;
}

export async function setNotificationPreferencesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setNotificationPreferences, form);
  // Re-render with the stored choices: React resets the form to its defaults after the action.
  if (result.ok) revalidatePath("/admin/account");
  return toFormState(result, form, "Email preferences saved.");
}
