import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { ProductImage } from "@/components/catalog/product-image";
import { CartDetailsForm } from "@/components/orders/cart-details-form";
import { CartQuantityForm, CartRemoveForm } from "@/components/orders/cart-line-forms";
import { QuickOrderForm } from "@/components/orders/quick-order-form";
import { SubmitCartForm } from "@/components/orders/submit-cart-form";
import { Card, EmptyState, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { getCompany } from "@/db/queries/companies";
import { listCompanyAddresses } from "@/db/queries/addresses";
import { addressLines } from "@/lib/domain/addresses";
import { getCart } from "@/db/queries/orders";
import { db } from "@/db/client";
import { formatTaxRate } from "@/lib/domain/catalog";
import { formatMoney } from "@/lib/domain/money";
import { requirePermission } from "@/lib/session";
import { quickOrderAction, setCartLineAction, submitCartAction, updateCartDetailsAction } from "./actions";

export const metadata: Metadata = { title: "Cart" };

export default async function CartPage() {
  const actor = await requirePermission("orders.place");
  const [cart, company, addresses] = await Promise.all([
    getCart(db, actor),
    actor.companyId ? getCompany(db, actor.companyId) : null,
    actor.companyId ? listCompanyAddresses(db, actor.companyId) : [],
  ]);
  const shipTo = addresses.filter((a) => a.kind === "shipping").map((a) => ({ id: a.id, label: a.label, lines: addressLines(a), isDefault: a.isDefault }));
  const lines = cart?.lines ?? [];
  const problems = lines.filter((l) => l.problem).length;
  const blockedReason =
    lines.length === 0
      ? "Add products to your cart before requesting a quotation."
      : problems > 0
        ? `Fix the ${problems === 1 ? "line" : `${problems} lines`} marked in red before requesting a quotation.`
        : null;

  return (
    <>
      <PageHeader title="Cart" description="Prices are today's prices for your company; a quotation fixes them." />
      <div className="space-y-6">
        {!cart || lines.length === 0 ? (
          <EmptyState
            title="Your cart is empty"
            description="Add products from the catalogue, or paste SKUs and quantities below."
            action={<LinkButton href="/">Browse the catalogue</LinkButton>}
          />
        ) : (
          <>
            <Table caption="Cart lines" stack>
              <THead>
                <tr>
                  <TH>SKU</TH>
                  <TH>Product</TH>
                  <TH>Quantity</TH>
                  <TH className="text-right">Unit price</TH>
                  <TH className="text-right">Net</TH>
                  <TH className="text-right">Tax</TH>
                  <TH className="text-right">Total</TH>
                  <TH className="relative">
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <TR key={l.productId} data-testid={`cart-line-${l.sku}`}>
                    <TD label="SKU" className="font-mono text-xs whitespace-nowrap">{l.sku}</TD>
                    <TD className="min-w-48 max-md:order-first">
                      <span className="flex items-center gap-3">
                        <ProductImage imageId={l.imageId} name={l.name} size={48} />
                        <Link href={`/products/${encodeURIComponent(l.sku)}`} className="font-medium text-brand-700 hover:underline">
                          {l.name}
                        </Link>
                      </span>
                      {l.problem && (
                        <p className="mt-1 text-sm text-red-700" data-testid={`cart-line-problem-${l.sku}`}>
                          {l.problem}
                        </p>
                      )}
                    </TD>
                    <TD label="Quantity">
                      <CartQuantityForm
                        key={`${l.productId}:${l.quantity}`}
                        action={setCartLineAction}
                        productId={l.productId}
                        sku={l.sku}
                        quantity={l.quantity}
                        orderMultiple={l.orderMultiple}
                      />
                    </TD>
                    <TD label="Unit price" className="text-right">
                      <span className="block whitespace-nowrap tabular-nums">
                        {formatMoney(l.price.unitPriceMinor, l.price.currency)}
                        <span className="text-slate-600"> per {l.unit}</span>
                      </span>
                      <span className="block text-xs text-slate-600">{l.price.explanation}</span>
                    </TD>
                    <TD label="Net" className="text-right whitespace-nowrap tabular-nums">{formatMoney(l.netMinor, cart.currency)}</TD>
                    <TD label="Tax" className="text-right whitespace-nowrap tabular-nums">{formatTaxRate(l.taxRateBp)}%</TD>
                    <TD label="Total" className="text-right font-medium whitespace-nowrap tabular-nums">{formatMoney(l.totalMinor, cart.currency)}</TD>
                    <TD>
                      <CartRemoveForm action={setCartLineAction} productId={l.productId} sku={l.sku} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <dl className="ml-auto grid max-w-sm grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm">
              <dt className="text-slate-600">Subtotal</dt>
              <dd className="text-right tabular-nums" data-testid="cart-subtotal">
                {formatMoney(cart.totals.subtotalMinor, cart.currency)}
              </dd>
              {cart.totals.taxByRate.map((t) => (
                <div key={t.taxRateBp} className="contents">
                  <dt className="text-slate-600">VAT {formatTaxRate(t.taxRateBp)}%</dt>
                  <dd className="text-right tabular-nums" data-testid={`cart-tax-${formatTaxRate(t.taxRateBp)}`}>
                    {formatMoney(t.taxMinor, cart.currency)}
                  </dd>
                </div>
              ))}
              <dt className="border-t border-slate-200 pt-1 font-semibold text-slate-900">Total</dt>
              <dd className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums" data-testid="cart-total">
                {formatMoney(cart.totals.totalMinor, cart.currency)}
              </dd>
            </dl>
            <Card title="PO number and notes">
              <CartDetailsForm
                action={updateCartDetailsAction}
                poNumber={cart.order.poNumber}
                notes={cart.order.notes}
                requiresPoNumber={company?.requiresPoNumber ?? false}
              />
            </Card>
          </>
        )}
        <Card title="Quick order">
          <QuickOrderForm action={quickOrderAction} idempotencyKey={randomUUID()} />
        </Card>
        <Card title="Quotation">
          <SubmitCartForm action={submitCartAction} idempotencyKey={randomUUID()} blockedReason={blockedReason} shipTo={shipTo} />
        </Card>
      </div>
    </>
  );
}
