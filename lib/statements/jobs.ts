import type { MatchableInvoice } from "../domain/bank-matching";
import type { ColumnMapping } from "../domain/bank-statement";
import type { ParsedStatement, RematchPlan } from "../domain/statement-work";

/** What the statement worker does; each kind's result type is in StatementJobResult. */
export type StatementJob =
  | { kind: "parse"; content: string; format: "csv" | "camt053"; mapping: ColumnMapping | null }
  | { kind: "rematch"; lineChunks: string[]; invoices: MatchableInvoice[] };

export type StatementJobResult<J extends StatementJob> = J extends { kind: "parse" } ? ParsedStatement : RematchPlan;
