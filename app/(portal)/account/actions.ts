"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { signOut } from "@/lib/auth";
import { signOutEverywhere } from "@/lib/services/sessions";
import { setAccountsPayableEmail, setNotificationPreferences } from "@/lib/notifications/service";
import { createCompanyAddress, deleteCompanyAddress, updateCompanyAddress } from "@/lib/services/addresses";
import { changeOwnPassword, inviteCompanyUser, setCompanyUserActive, setSpendingLimits } from "@/lib/services/users";

// Thin adapters: the services validate, authorize (own company only), audit and run in one transaction.

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(changeOwnPassword, form);
  if (!result.ok) return toFormState(result, form);
  // The change revoked every session of the user, this one included; clear the cookie and ask for the new password.
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

export async function inviteUserAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(inviteCompanyUser, form);
  if (!result.ok) return toFormState(result, form);
  // Re-rendering the page also hands the form a fresh idempotency key for the next invitation.
  revalidatePath("/account", "layout");
  return toFormState(result, form, `${result.data.email} can now sign in with the password you chose.`);
}

export async function setCompanyUserActiveAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setCompanyUserActive, form);
  if (result.ok) revalidatePath("/account", "layout");
  return toFormState(result, form, result.ok && result.data.active ? "User reactivated." : "User deactivated.");
}

export async function setSpendingLimitsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setSpendingLimits, form);
  if (result.ok) revalidatePath("/account", "layout");
  return toFormState(result, form, "Spending limits saved.");
}

export async function setNotificationPreferencesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setNotificationPreferences, form);
  // Re-render with the stored choices: React resets the form to its defaults after the action.
  if (result.ok) revalidatePath("/account");
  return toFormState(result, form, "Email preferences saved.");
}

export async function setAccountsPayableEmailAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setAccountsPayableEmail, form);
  if (result.ok) revalidatePath("/account");
  return toFormState(result, form, "Accounts-payable email saved.");
}

// Ship-to addresses (issue 14): a customer admin's own company only, enforced by the service.
// The cart offers them, hence /cart as well.
export async function createShipToAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createCompanyAddress, form);
  if (result.ok) {
    revalidatePath("/account");
    revalidatePath("/cart");
  }
  return toFormState(result, form, "Ship-to address added.");
}

export async function updateShipToAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateCompanyAddress, form);
  if (result.ok) {
    revalidatePath("/account");
    revalidatePath("/cart");
  }
  return toFormState(result, form, "Ship-to address saved.");
}

export async function deleteShipToAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteCompanyAddress, form);
  if (result.ok) {
    revalidatePath("/account");
    revalidatePath("/cart");
  }
  return toFormState(result, form, "Ship-to address deleted.");
}
