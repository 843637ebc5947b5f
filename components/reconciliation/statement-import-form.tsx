"use client";

import { useActionState, useState, useTransition } from "react";
import { fieldErrors, type FormAction } from "@/components/forms/form-state";
import { PaymentFormMessage } from "@/components/payments/payment-form-message";
import { Button, Input, Select, SubmitButton } from "@/components/ui";
import type { StatementPreview } from "@/lib/services/reconciliation";

type Mapping = {
  date?: string;
  amount?: string;
  credit?: string;
  debit?: string;
  currency?: string;
  counterparty?: string;
  reference?: string[];
  transactionId?: string;
  dateFormat?: string;
  decimalSeparator?: string;
  defaultCurrency?: string;
};

type Props = {
  action: FormAction;
  preview: (bankName: string, content: string) => Promise<StatementPreview>;
  idempotencyKey: string;
  banks: string[];
  /** Known accounts, offered as the IBAN field's suggestions. */
  accounts: { iban: string; bankName: string }[];
  defaultCurrency: string;
};

// First guess at a mapping from common English and German bank export headers; the clerk corrects it once.
const guesses: Record<string, RegExp> = {
  date: /^(booking date|date|buchungstag|buchungsdatum|datum|value date|valuta)/i,
  amount: /^(amount|betrag|umsatz|value)/i,
  credit: /(credit|haben|gutschrift)/i,
  debit: /(debit|soll|belastung)/i,
  currency: /(currency|währung|waehrung|ccy)/i,
  counterparty: /(counterparty|payer|name|auftraggeber|zahlungspflichtiger|beguenstigter|begünstigter|partner)/i,
  reference: /(reference|purpose|verwendungszweck|description|details|memo|remittance)/i,
  transactionId: /(transaction id|txn id|bank reference|id)$/i,
};

function guessMapping(headers: string[]): Mapping {
  const pick = (key: string) => headers.find((h) => guesses[key]!.test(h));
  const amount = pick("amount");
  return {
    date: pick("date"),
    amount,
    credit: amount ? undefined : pick("credit"),
    debit: amount ? undefined : pick("debit"),
    currency: pick("currency"),
    counterparty: pick("counterparty"),
    reference: headers.filter((h) => guesses.reference!.test(h)).slice(0, 2),
    transactionId: pick("transactionId"),
    dateFormat: "YYYY-MM-DD",
    decimalSeparator: ".",
  };
}

function ColumnSelect({ id, name, label, headers, value, required }: { id?: string; name: string; label: string; headers: string[]; value?: string; required?: boolean }) {
  return (
    <Select id={id} label={label} name={name} defaultValue={value ?? ""} required={required}>
      <option value="">{required ? "Choose a column" : "(none)"}</option>
      {headers.map((h) => (
        <option key={h} value={h}>
          {h}
        </option>
      ))}
    </Select>
  );
}

/**
 * Imports a bank statement. A CSV file's columns are mapped once per bank (the service remembers
 * the mapping); CAMT.053 XML needs no mapping. Re-importing lines the bank reported before adds nothing.
 */
export function StatementImportForm({ action, preview, idempotencyKey, banks, accounts, defaultCurrency }: Props) {
  const [state, formAction] = useActionState(action, null);
  const [bankName, setBankName] = useState(state?.ok === false ? (state.values?.bankName ?? "") : "");
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const [info, setInfo] = useState<StatementPreview | null>(null);
  const [editMapping, setEditMapping] = useState(false);
  const [reading, startReading] = useTransition();
  const problems = state?.ok === false ? (state.fieldErrors?.file ?? []) : [];

  const [inspectedBank, setInspectedBank] = useState<string | null>(null);

  function inspect(name: string, content: string, bank: string) {
    setInspectedBank(bank);
    startReading(async () => {
      const p = await preview(bank, content);
      setInfo(p);
      setEditMapping(p.ok && p.format === "csv" && !p.savedMapping);
    });
  }

  const headers = info?.ok ? info.headers : [];
  const mapping: Mapping = (info?.ok && info.savedMapping) || guessMapping(headers);
  const showMapping = info?.ok && info.format === "csv" && editMapping;

  return (
    <form action={formAction} noValidate className="space-y-4" aria-label="Import a bank statement">
      <PaymentFormMessage state={state} />
      {problems.length > 0 && (
        <div className="rounded-md border border-red-300 bg-white p-4">
          <h3 className="text-sm font-semibold text-red-800">Problems in the file</h3>
          <ul data-testid="statement-errors" className="mt-2 max-h-72 list-disc space-y-1 overflow-y-auto pl-5 text-sm text-red-800">
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="content" value={file?.content ?? ""} />
      <input type="hidden" name="fileName" value={file?.name ?? ""} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Bank"
          name="bankName"
          list="known-banks"
          required
          maxLength={100}
          autoComplete="off"
          value={bankName}
          onChange={(e) => setBankName(e.target.value)}
          // Another bank may have a remembered mapping: look again, but only when the name changed
          // (a blur from clicking "Import statement" must not start a new look-up under the click).
          onBlur={() => file && bankName !== inspectedBank && inspect(file.name, file.content, bankName)}
          hint="The account's bank; its column mapping is remembered."
          error={fieldErrors(state, "bankName")}
        />
        <datalist id="known-banks">
          {banks.map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>
        <Input
          label="Account IBAN"
          name="iban"
          list="known-accounts"
          required={!(info?.ok && info.format === "camt053")}
          maxLength={42}
          autoComplete="off"
          spellCheck={false}
          defaultValue={state?.ok === false ? (state.values?.iban ?? "") : ""}
          hint={info?.ok && info.format === "camt053" ? "A CAMT.053 file names its account; leave empty or enter the same IBAN." : "The account this statement is for: one account, whatever the bank is called."}
          error={fieldErrors(state, "iban")}
        />
        <datalist id="known-accounts">
          {accounts.map((a) => (
            <option key={a.iban} value={a.iban}>
              {a.bankName}
            </option>
          ))}
        </datalist>
        <div className="space-y-1">
          <label htmlFor="statement-file" className="block text-sm font-medium text-slate-800">
            Statement file
          </label>
          {/* No name: the text goes in the hidden "content" field, so the file is not uploaded twice. */}
          <input
            id="statement-file"
            type="file"
            accept=".csv,.txt,.xml,text/csv,application/xml,text/xml"
            aria-describedby="statement-file-hint"
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
            onChange={async (e) => {
              const chosen = e.target.files?.[0];
              if (!chosen) return;
              const content = await chosen.text();
              setFile({ name: chosen.name, content });
              inspect(chosen.name, content, bankName);
            }}
          />
          <p id="statement-file-hint" className="text-xs text-slate-600">
            CSV export or CAMT.053 XML, at most 10 MB.
          </p>
          {fieldErrors(state, "content") && <p className="text-sm text-red-700">{fieldErrors(state, "content")!.join(" ")}</p>}
        </div>
      </div>
      {reading && <p className="text-sm text-slate-600">Reading the file…</p>}
      {info?.ok === false && (
        <p role="alert" className="text-sm text-red-700">
          {info.error}
        </p>
      )}
      {info?.ok && info.format === "camt053" && <p className="text-sm text-slate-700">CAMT.053 statement: no column mapping needed.</p>}
      {info?.ok && info.format === "csv" && !editMapping && (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          Using the remembered column mapping of {bankName}.
          <Button type="button" variant="secondary" size="sm" onClick={() => setEditMapping(true)}>
            Change mapping
          </Button>
        </p>
      )}
      {showMapping && (
        <fieldset className="space-y-4 rounded-md border border-slate-200 p-4" key={headers.join("|")}>
          <legend className="px-1 text-sm font-semibold text-slate-900">Columns of {bankName || "this bank"}&apos;s statement</legend>
          <input type="hidden" name="useMapping" value="on" />
          {fieldErrors(state, "mapping") && (
            <p role="alert" className="text-sm text-red-700">
              {fieldErrors(state, "mapping")!.join(" ")}
            </p>
          )}
          <div className="grid gap-4 sm:grid-cols-3">
            <ColumnSelect name="map_date" label="Booking date" headers={headers} value={mapping.date} required />
            <ColumnSelect name="map_amount" label="Amount (signed)" headers={headers} value={mapping.amount} />
            <ColumnSelect name="map_credit" label="…or credit column" headers={headers} value={mapping.credit} />
            <ColumnSelect name="map_debit" label="…and debit column" headers={headers} value={mapping.debit} />
            <ColumnSelect name="map_currency" label="Currency" headers={headers} value={mapping.currency} />
            <ColumnSelect name="map_counterparty" label="Payer (counterparty)" headers={headers} value={mapping.counterparty} />
            <ColumnSelect id="map-reference-1" name="map_reference" label="Reference" headers={headers} value={mapping.reference?.[0]} required />
            <ColumnSelect id="map-reference-2" name="map_reference" label="Description (also searched)" headers={headers} value={mapping.reference?.[1]} />
            <ColumnSelect name="map_transactionId" label="Bank's transaction id" headers={headers} value={mapping.transactionId} />
            <Select label="Date format" name="dateFormat" defaultValue={mapping.dateFormat ?? "YYYY-MM-DD"}>
              {["YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY"].map((f) => (
                <option key={f}>{f}</option>
              ))}
            </Select>
            <Select label="Decimal separator" name="decimalSeparator" defaultValue={mapping.decimalSeparator ?? "."}>
              <option value=".">Point (1,234.56)</option>
              <option value=",">Comma (1.234,56)</option>
            </Select>
            <Input label="Currency when none is given" name="defaultCurrency" defaultValue={mapping.defaultCurrency ?? defaultCurrency} maxLength={3} required />
          </div>
        </fieldset>
      )}
      <SubmitButton pendingLabel="Importing…" disabled={!file || reading}>
        Import statement
      </SubmitButton>
    </form>
  );
}
