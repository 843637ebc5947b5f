import "server-only";
import { z } from "zod";
import type { CompanyAddress } from "@/db/schema";
import type { Tx } from "@/db/client";
import {
  billingAddressOf,
  clearDefaultShipTo,
  defaultShipToOf,
  deleteCompanyAddressRow,
  getCompanyAddress,
  insertCompanyAddress,
  oldestShipTo,
  setCompanyBillingText,
  shipToCount,
  snapshotOf,
  updateCompanyAddressRow,
} from "@/db/queries/addresses";
import { getCompany } from "@/db/queries/companies";
import type { Actor } from "@/lib/domain/actor";
import { addressText, isCountryCode } from "@/lib/domain/addresses";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { checkbox, optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { isCustomerRole } from "@/lib/domain/roles";
import { defineMutation, type MutationContext } from "@/lib/mutation";

// A company's address book (issue 14). Staff (sales, admin) edit any company's billing and ship-to
// addresses; a customer admin edits their own company's ship-to addresses (the billing address is
// what invoices are addressed to: staff keep it). Buyers only pick a ship-to per order
// (resolveShipTo). Each change locks the company row first, so two edits of one address book never
// interleave; the partial unique indexes (one billing, one default ship-to) are the last guard.

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const addressFields = z.object({
  companyId: uuidField("company"),
  kind: z.enum(["billing", "shipping"], { error: "Choose billing or ship-to." }),
  label: optionalText(100),
  name: requiredText("Name", 200),
  attention: optionalText(200),
  line1: requiredText("Street and number", 200),
  line2: optionalText(200),
  postalCode: optionalText(20),
  city: requiredText("City", 100),
  region: optionalText(100),
  country: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z.string({ error: "Choose a country." }).refine(isCountryCode, "Choose a country (ISO 3166 code such as DE)."),
  ),
  isDefault: checkbox.default(false),
});

type AddressInput = z.output<typeof addressFields>;

/** The company whose address book the actor may change, locked; another company's is "not found" for a customer. */
async function lockAddressBook(ctx: MutationContext, companyId: string, kind: "billing" | "shipping" | null) {
  const customer = isCustomerRole(ctx.actor.role);
  if (customer && companyId !== ctx.actor.companyId) {
    throw notFound("Company", { entityType: "company_address", companyId: ctx.actor.companyId });
  }
  if (customer && kind === "billing") {
    throw new DomainError("forbidden", "Only our staff can change your billing address: ask your account manager.", {
      auditDenied: { entityType: "company_address", companyId },
    });
  }
  const company = await getCompany(ctx.tx, companyId, { lock: true });
  if (!company) throw notFound("Company", { entityType: "company_address", companyId });
  return company;
}

function values(input: AddressInput) {
  if (input.kind === "shipping" && input.label === "") throw fieldError("label", "Give the ship-to address a short name, such as \"Hamburg warehouse\".");
  return {
    label: input.label,
    name: input.name,
    attention: input.attention,
    line1: input.line1,
    line2: input.line2,
    postalCode: input.postalCode,
    city: input.city,
    region: input.region,
    country: input.country,
  };
}

/** After a billing address changes: companies.billing_address carries its text (statements, older reads). */
async function afterBillingChange(tx: Tx, a: CompanyAddress) {
  if (a.kind === "billing") await setCompanyBillingText(tx, a.companyId, addressText(a));
}

export type AddressSaved = { id: string; companyId: string; kind: "billing" | "shipping" };

export const createCompanyAddress = defineMutation({
  name: "company_address.create",
  entityType: "company_address",
  permission: "company_addresses.manage",
  idempotent: true,
  input: addressFields,
  async run(ctx, input): Promise<AddressSaved> {
    await lockAddressBook(ctx, input.companyId, input.kind);
    const fields = values(input);
    let address: CompanyAddress;
    let before: CompanyAddress | null = null;
    if (input.kind === "billing") {
      // One billing address per company: saving a "new" one replaces the fields of the existing one.
      before = await billingAddressOf(ctx.tx, input.companyId, { lock: true });
      address = before
        ? await updateCompanyAddressRow(ctx.tx, input.companyId, before.id, fields)
        : await insertCompanyAddress(ctx.tx, { companyId: input.companyId, kind: "billing", ...fields });
      await afterBillingChange(ctx.tx, address);
    } else {
      // The first ship-to is the default; a new default takes over from the old one.
      const isDefault = input.isDefault || (await shipToCount(ctx.tx, input.companyId)) === 0;
      if (isDefault) await clearDefaultShipTo(ctx.tx, input.companyId);
      address = await insertCompanyAddress(ctx.tx, { companyId: input.companyId, kind: "shipping", isDefault, ...fields });
    }
    await ctx.audit({
      action: before ? "company_address.update" : "company_address.create",
      entityType: "company_address",
      entityId: address.id,
      companyId: input.companyId,
      before,
      after: address,
    });
    return { id: address.id, companyId: address.companyId, kind: address.kind };
  },
});

export const updateCompanyAddress = defineMutation({
  name: "company_address.update",
  entityType: "company_address",
  permission: "company_addresses.manage",
  input: addressFields.extend({ addressId: uuidField("address") }).omit({ kind: true }),
  async run(ctx, input): Promise<AddressSaved> {
    await lockAddressBook(ctx, input.companyId, null);
    const before = await getCompanyAddress(ctx.tx, input.companyId, input.addressId, { lock: true });
    if (!before) throw notFound("Address", { entityType: "company_address", entityId: input.addressId, companyId: input.companyId });
    if (before.kind === "billing" && isCustomerRole(ctx.actor.role)) await lockAddressBook(ctx, input.companyId, "billing");
    const fields = values({ ...input, kind: before.kind });
    let isDefault = before.isDefault;
    if (before.kind === "shipping") {
      if (before.isDefault && !input.isDefault) {
        throw fieldError("isDefault", "This is the default ship-to address: make another one the default instead.");
      }
      if (input.isDefault && !before.isDefault) {
        await clearDefaultShipTo(ctx.tx, input.companyId, before.id);
        isDefault = true;
      }
    }
    const after = await updateCompanyAddressRow(ctx.tx, input.companyId, before.id, { ...fields, isDefault });
    await afterBillingChange(ctx.tx, after);
    await ctx.audit({ action: "company_address.update", entityType: "company_address", entityId: after.id, companyId: input.companyId, before, after });
    return { id: after.id, companyId: after.companyId, kind: after.kind };
  },
});

export const deleteCompanyAddress = defineMutation({
  name: "company_address.delete",
  entityType: "company_address",
  permission: "company_addresses.manage",
  input: z.object({ companyId: uuidField("company"), addressId: uuidField("address") }),
  async run(ctx, input): Promise<{ companyId: string; newDefaultId: string | null }> {
    await lockAddressBook(ctx, input.companyId, null);
    const before = await getCompanyAddress(ctx.tx, input.companyId, input.addressId, { lock: true });
    if (!before) throw notFound("Address", { entityType: "company_address", entityId: input.addressId, companyId: input.companyId });
    if (before.kind === "billing") throw new DomainError("conflict", "A company always has a billing address: edit it instead of deleting it.");
    // Orders keep their copy of the address (orders.ship_to); only the link to it is cleared.
    await deleteCompanyAddressRow(ctx.tx, input.companyId, before.id);
    let newDefaultId: string | null = null;
    if (before.isDefault) {
      const next = await oldestShipTo(ctx.tx, input.companyId);
      if (next) {
        await updateCompanyAddressRow(ctx.tx, input.companyId, next.id, { isDefault: true });
        newDefaultId = next.id;
      }
    }
    await ctx.audit({
      action: "company_address.delete",
      entityType: "company_address",
      entityId: before.id,
      companyId: input.companyId,
      before,
      after: newDefaultId ? { newDefaultShipToId: newDefaultId } : null,
    });
    return { companyId: input.companyId, newDefaultId };
  },
});

/**
 * The ship-to an order is placed with: the one the buyer chose (it must be a ship-to address of
 * the buyer's own company; any other id is "not found", revealing nothing), else the company's
 * default, else none (a company without ship-to addresses). Returns the copy the order keeps.
 */
export async function resolveShipTo(tx: Tx, actor: Actor & { companyId: string }, shipToAddressId: string | undefined) {
  if (shipToAddressId) {
    const a = await getCompanyAddress(tx, actor.companyId, shipToAddressId);
    if (!a || a.kind !== "shipping") {
      throw new DomainError("not_found", "Ship-to address not found.", {
        fieldErrors: { shipToAddressId: ["Ship-to address not found: choose one of your company's addresses."] },
        auditDenied: { entityType: "company_address", entityId: shipToAddressId, companyId: actor.companyId },
      });
    }
    return { shipToAddressId: a.id, shipTo: snapshotOf(a) };
  }
  const a = await defaultShipToOf(tx, actor.companyId);
  return a ? { shipToAddressId: a.id, shipTo: snapshotOf(a) } : { shipToAddressId: null, shipTo: null };
}

/** The optional ship-to field of the submit forms and the API bodies. */
export const shipToField = z.preprocess(emptyToUndefined, uuidField("ship-to address").optional());
