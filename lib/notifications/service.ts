import "server-only";
import { z } from "zod";
import { lockCompanyApEmail, markAllNotificationsReadFor, markNotificationReadFor, saveEmailPreferences, setCompanyApEmail } from "@/db/queries/notifications";
import { DomainError } from "@/lib/domain/errors";
import { uuidField } from "@/lib/domain/forms";
import { defineMutation } from "@/lib/mutation";
import { kindsForRole, MANDATORY_EMAIL_KINDS } from "./kinds";

// The notification mutations (issue 13): marking one's own notifications read, one's email choices,
// and a company's accounts-payable address. Each runs through lib/mutation.ts (permission, one
// transaction, audit row).

export const markNotificationRead = defineMutation({
  name: "notification.mark_read",
  entityType: "notification",
  permission: "notifications.read",
  input: z.object({ notificationId: uuidField("notification") }),
  async run(ctx, input) {
    // Scoped to the actor: another user's notification is "not found", never marked.
    const row = await markNotificationReadFor(ctx.tx, ctx.actor.id, input.notificationId);
    if (!row) throw new DomainError("not_found", "This notification does not exist.");
    await ctx.audit({ action: "notification.mark_read", entityType: "notification", entityId: row.id, companyId: ctx.actor.companyId });
    return { notificationId: row.id, link: row.link };
  },
});

export const markAllNotificationsRead = defineMutation({
  name: "notification.mark_all_read",
  entityType: "notification",
  permission: "notifications.read",
  input: z.object({}),
  async run(ctx) {
    const marked = await markAllNotificationsReadFor(ctx.tx, ctx.actor.id);
    await ctx.audit({ action: "notification.mark_all_read", entityType: "notification", entityId: null, companyId: ctx.actor.companyId, after: { marked } });
    return { marked };
  },
});

/**
 * Email on/off per kind the actor can receive: a checkbox `email.<kind>` per kind ("on" when
 * ticked). Mandatory kinds (approval needed) stay on whatever is sent.
 */
export const setNotificationPreferences = defineMutation({
  name: "notification.set_preferences",
  entityType: "user",
  permission: "notifications.read",
  input: z.record(z.string(), z.string()),
  async run(ctx, input) {
    const kinds = kindsForRole(ctx.actor.role).filter((k) => !MANDATORY_EMAIL_KINDS.includes(k));
    const choices = kinds.map((kind) => ({ userId: ctx.actor.id, kind, email: input[`email.${kind}`] === "on" }));
    await saveEmailPreferences(ctx.tx, choices);
    const off = choices.filter((c) => !c.email).map((c) => c.kind);
    await ctx.audit({ action: "notification.set_preferences", entityType: "user", entityId: ctx.actor.id, companyId: ctx.actor.companyId, after: { emailOff: off } });
    return { emailOff: off };
  },
});

const apEmail = z
  .string()
  .trim()
  .max(254, "At most 254 characters.")
  .transform((v) => (v === "" ? null : v))
  .pipe(z.email("Enter an email address, or leave the field empty.").nullable());

/** A company's accounts-payable address: staff (companies.manage) for any company, a customer admin for their own. */
export const setAccountsPayableEmail = defineMutation({
  name: "company.set_accounts_payable_email",
  entityType: "company",
  permission: "notifications.read",
  input: z.object({ companyId: uuidField("company"), accountsPayableEmail: apEmail }),
  async run(ctx, input) {
    const role = ctx.actor.role;
    const allowed = role === "admin" || (role === "customer_admin" && ctx.actor.companyId === input.companyId);
    if (!allowed) throw new DomainError("forbidden", "You are not allowed to do this.", { auditDenied: { entityType: "company", entityId: input.companyId } });
    const before = await lockCompanyApEmail(ctx.tx, input.companyId);
    if (!before) throw new DomainError("not_found", "This company does not exist.");
    await setCompanyApEmail(ctx.tx, input.companyId, input.accountsPayableEmail);
    await ctx.audit({ action: "company.set_accounts_payable_email", entityType: "company", entityId: input.companyId, companyId: input.companyId, before: { accountsPayableEmail: before.ap }, after: { accountsPayableEmail: input.accountsPayableEmail } });
    return { companyId: input.companyId, accountsPayableEmail: input.accountsPayableEmail };
  },
});
