import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { BuyerSpend, CategorySpend } from "@/db/queries/analytics/customer";
import { formatMoney } from "@/lib/domain/money";

/** Spend per buyer (whoever placed the order), one row per buyer and currency, largest first. */
export function CustomerSpendByBuyer({ rows }: { rows: BuyerSpend[] }) {
  return (
    <Table caption="Spend by buyer, last 12 months" data-testid="spend-by-buyer">
      <THead>
        <tr>
          <TH>Buyer</TH>
          <TH className="text-right">Spend</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={`${r.buyerId}-${r.currency}`}>
            <TD className="break-words">{r.buyerName}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.minor, r.currency)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Spend per product category (from the invoice lines), one row per category and currency, largest first. */
export function CustomerSpendByCategory({ rows }: { rows: CategorySpend[] }) {
  return (
    <Table caption="Spend by category, last 12 months" data-testid="spend-by-category">
      <THead>
        <tr>
          <TH>Category</TH>
          <TH className="text-right">Spend</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={`${r.category}-${r.currency}`}>
            <TD className="break-words">{r.category}</TD>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.minor, r.currency)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
