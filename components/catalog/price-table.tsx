import clsx from "clsx";
import { Badge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { PricedProduct } from "@/db/queries/catalog";
import { formatMoney } from "@/lib/domain/money";

/** A product's unit price at 1 unit and at each volume tier that applies to the viewer. */
export function PriceTable({ priceTable }: { priceTable: PricedProduct["priceTable"] }) {
  return (
    <Table caption="Volume prices">
      <THead>
        <tr>
          <TH>Quantity</TH>
          <TH className="text-right">Unit price</TH>
          <TH>Price rule</TH>
        </tr>
      </THead>
      <TBody>
        {priceTable.map(({ fromQuantity, price }, i) => (
          <TR key={fromQuantity} data-testid="price-tier-row" className={clsx(i === 0 && "bg-brand-50 font-medium")}>
            <TH scope="row" className="text-sm font-medium tracking-normal text-slate-900 normal-case">
              <span className="tabular-nums">{fromQuantity}+</span>
              {/* The first row is the standard price shown above; the others are volume discounts. */}
              {i === 0 && (
                <Badge tone="info" className="ml-2">
                  Standard
                </Badge>
              )}
            </TH>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(price.unitPriceMinor, price.currency)}</TD>
            <TD>{price.explanation}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
