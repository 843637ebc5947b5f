"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { getActor } from "@/lib/session";
import { assignLine, confirmMatches, ignoreLine, importStatement, previewStatement, rematchStatementLines, undoMatch, type StatementPreview } from "@/lib/services/reconciliation";

// Thin adapters: FormData → service → revalidate. The services check payments.manage, run in one
// transaction with their audit rows, and are idempotent through the form's key.

function refresh() {
  revalidatePath("/admin/payments", "layout");
  revalidatePath("/invoices");
  revalidatePath("/orders", "layout");
}

/** Reads a chosen file's header row and the bank's remembered mapping, so the clerk can map columns (read-only). */
export async function previewStatementAction(bankName: string, content: string): Promise<StatementPreview> {
  // A public endpoint: the arguments are whatever the caller sent (Buffer.byteLength(42) was a 500).
  if (typeof bankName !== "string" || typeof content !== "string") return { ok: false, error: "Send the bank's name and the file's text." };
  return previewStatement(await getActor(), bankName, content);
}

const mappingFields = ["date", "amount", "credit", "debit", "currency", "counterparty", "transactionId"] as const;

/** The mapping the form's selects describe (map_* fields), or undefined when the form sent none (CAMT, or remembered). */
function mappingFrom(form: FormData): Record<string, unknown> | undefined {
  if (form.get("useMapping") !== "on") return undefined;
  const mapping: Record<string, unknown> = {};
  for (const f of mappingFields) {
    const v = form.get(`map_${f}`);
    if (typeof v === "string" && v) mapping[f] = v;
  }
  mapping.reference = form.getAll("map_reference").filter((v): v is string => typeof v === "string" && v !== "");
  for (const f of ["dateFormat", "decimalSeparator", "defaultCurrency"] as const) mapping[f] = form.get(f) ?? undefined;
  return mapping;
}

export async function importStatementAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(importStatement, {
    idempotencyKey: form.get("idempotencyKey"),
    bankName: form.get("bankName"),
    iban: form.get("iban") ?? undefined,
    fileName: form.get("fileName") || "statement",
    content: form.get("content") ?? "",
    mapping: mappingFrom(form),
  });
  if (!result.ok) {
    const state = toFormState(result, form);
    // The file itself is not echoed back into the page.
    if (state?.ok === false && state.values) delete state.values.content;
    return state;
  }
  refresh();
  const r = result.data;
  return {
    ...result,
    message:
      r.newLines === 0
        ? `Nothing new: all ${r.lines} lines of this statement were imported before.`
        : `Imported ${r.newLines} new ${r.newLines === 1 ? "line" : "lines"}${r.duplicates ? ` (${r.duplicates} already known)` : ""}${r.outgoing ? `, ${r.outgoing} outgoing` : ""}. Waiting for confirmation: ${r.suggested} matched, ${r.unmatched} unmatched.`,
  };
}

/** Confirms the ticked lines ("line" = id:version), or just one when its own button was used ("only"). */
export async function confirmMatchesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const only = form.get("only");
  const picked = typeof only === "string" && only ? [only] : form.getAll("line").filter((v): v is string => typeof v === "string");
  const lines = picked.map((v) => {
    const [id, version] = v.split(":");
    return { id, version };
  });
  const result = await performMutation(confirmMatches, { idempotencyKey: form.get("idempotencyKey"), lines });
  if (result.ok) refresh();
  return result.ok ? { ...result, message: `Confirmed ${result.data.confirmed} ${result.data.confirmed === 1 ? "match" : "matches"}; the payments are verified and applied.` } : toFormState(result, form);
}

export async function undoMatchAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(undoMatch, form);
  if (result.ok) refresh();
  return toFormState(result, form, "Match undone; the line is waiting for confirmation again.");
}

export async function assignLineAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(assignLine, form);
  if (result.ok) refresh();
  return toFormState(result, form, "Line assigned; confirm it in the matched list.");
}

export async function ignoreLineAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(ignoreLine, form);
  if (result.ok) refresh();
  return toFormState(result, form, "Line set aside as not a customer payment.");
}

export async function rematchAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(rematchStatementLines, form);
  if (result.ok) refresh();
  return result.ok ? { ...result, message: `Matching re-run: ${result.data.suggested} matched, ${result.data.unmatched} unmatched, ${result.data.changed} changed.` } : toFormState(result, form);
}
