// The quotation / invoice / credit-note layout, and the statement of account's. Plain ESM with
// React.createElement (no JSX, no TypeScript, nothing from outside lib/pdf) because a worker thread
// loads this file directly with Node, from the source tree and from a standalone build alike. It
// receives a PdfRenderModel (lib/pdf/model.ts) or a StatementRenderModel (lib/pdf/statement-model.ts)
// in which every figure is already display text; types are in document.d.mts.
import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { createElement as h } from "react";
import { FONT_FAMILY, registerFonts } from "./fonts.mjs";

/** @typedef {import("./model").PdfRenderModel} PdfRenderModel */
/** @typedef {import("./statement-model").StatementRenderModel} StatementRenderModel */
/** @typedef {import("./delivery-note-model").DeliveryNoteRenderModel} DeliveryNoteRenderModel */

const GREY = "#555555";
const RULE = "#d0d0d0";

const s = StyleSheet.create({
  // No unitless lineHeight on the page: react-pdf multiplies an inherited one by the font size
  // again on each pagination pass until pdfkit rejects the coordinates (react-pdf issue #3452).
  // calt off: Inter's contextual alternates were the largest shaping cost and change nothing in
  // this text; tnum: tabular figures, so amounts line up in the right-aligned columns.
  page: {
    paddingTop: 36,
    paddingBottom: 24,
    paddingHorizontal: 40,
    fontFamily: FONT_FAMILY,
    fontSize: 9,
    color: "#111111",
    fontFeatureSettings: { calt: false, tnum: true },
  },
  header: { flexDirection: "row", justifyContent: "space-between", marginBottom: 24 },
  sellerBlock: { width: "50%" },
  sellerName: { fontSize: 12, fontWeight: 700, marginBottom: 4 },
  muted: { color: GREY },
  titleBlock: { width: "45%", alignItems: "flex-end" },
  title: { fontSize: 20, fontWeight: 700 },
  number: { fontSize: 11, fontWeight: 700, marginBottom: 6 },
  metaRow: { flexDirection: "row", justifyContent: "flex-end" },
  metaLabel: { color: GREY, marginRight: 6 },
  customerBlock: { marginBottom: 20 },
  partiesRow: { flexDirection: "row", justifyContent: "space-between" },
  shipToBlock: { width: "45%", marginBottom: 20 },
  heading: { fontSize: 8, fontWeight: 700, color: GREY, textTransform: "uppercase", marginBottom: 3 },
  customerName: { fontSize: 10, fontWeight: 700 },
  tableHeader: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: "#111111", paddingVertical: 4, fontWeight: 700, fontSize: 8 },
  row: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: RULE, paddingVertical: 3 },
  cellNo: { width: 22 },
  cellSku: { width: 70, paddingRight: 4 },
  cellName: { flex: 1, paddingRight: 6 },
  cellQty: { width: 58, textAlign: "right", paddingRight: 6 },
  cellPrice: { width: 66, textAlign: "right" },
  cellDisc: { width: 36, textAlign: "right" },
  cellTax: { width: 34, textAlign: "right" },
  cellNet: { width: 76, textAlign: "right" },
  totals: { marginTop: 10, alignSelf: "flex-end", width: 260 },
  totalsRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 2 },
  grandTotal: { flexDirection: "row", justifyContent: "space-between", borderTopWidth: 1, borderTopColor: "#111111", marginTop: 3, paddingTop: 4, fontSize: 11, fontWeight: 700 },
  section: { marginTop: 16 },
  paymentRow: { flexDirection: "row" },
  paymentLabel: { width: 110, color: GREY },
  small: { marginTop: 12, fontSize: 7, color: GREY },
  content: { flexGrow: 1 },
  footer: { flexDirection: "row", justifyContent: "space-between", paddingTop: 12, fontSize: 7, color: GREY },
  // Statement of account: open items (8 columns, one line each; the payment reference on a line of
  // its own below, so text extraction and screen readers get each row's cells in order) and the ageing summary.
  itemsTable: { fontSize: 7.5 },
  itemHeader: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: "#111111", paddingVertical: 4, fontWeight: 700, fontSize: 7 },
  item: { borderBottomWidth: 0.5, borderBottomColor: RULE, paddingVertical: 3 },
  itemLine: { flexDirection: "row" },
  cellInvoice: { flex: 1, paddingRight: 4 },
  reference: { fontSize: 6.5, color: GREY },
  cellDate: { width: 54 },
  cellMoney: { width: 60, textAlign: "right" },
  cellPending: { width: 80, textAlign: "right" },
  cellDue: { width: 64, textAlign: "right", fontWeight: 700 },
  cellDays: { width: 56, textAlign: "right" },
  ageingTable: { marginTop: 4 },
  cellCurrency: { width: 44 },
  cellBucket: { flex: 1, textAlign: "right" },
  cellBucketTotal: { flex: 1, textAlign: "right", fontWeight: 700 },
  paymentNote: { marginTop: 6 },
});

const t = (style, text) => h(Text, { style }, text);

function Party({ party, nameStyle }) {
  return h(View, null, t(nameStyle, party.name), ...party.lines.map((line, i) => h(Text, { key: i, style: s.muted }, line)));
}

function Header({ model }) {
  return h(
    View,
    { style: s.header },
    h(View, { style: s.sellerBlock }, h(Party, { party: model.seller, nameStyle: s.sellerName })),
    h(
      View,
      { style: s.titleBlock },
      t(s.title, model.title),
      model.number ? t(s.number, model.number) : null,
      ...model.meta.map((m) => h(View, { key: m.label, style: s.metaRow }, t(s.metaLabel, m.label), h(Text, null, m.value))),
    ),
  );
}

/** Column cells for one row; the header row passes the column titles. */
function cells(model, r) {
  return [
    t(s.cellNo, r.lineNo),
    t(s.cellSku, r.sku),
    t(s.cellName, r.name),
    t(s.cellQty, r.quantity),
    t(s.cellPrice, r.unitPrice),
    model.showDiscount ? t(s.cellDisc, r.discount) : null,
    t(s.cellTax, r.taxRate),
    t(s.cellNet, r.net),
  ];
}

const COLUMN_TITLES = { lineNo: "#", sku: "SKU", name: "Description", quantity: "Qty", unitPrice: "Unit price", discount: "Disc.", taxRate: "Tax %", net: "Line total" };

function LinesTable({ model }) {
  return h(
    View,
    null,
    // `fixed`: repeated at the top of every page the table continues on.
    h(View, { style: s.tableHeader, fixed: true }, ...cells(model, COLUMN_TITLES)),
    ...model.lines.map((line, i) => h(View, { key: i, style: s.row, wrap: false }, ...cells(model, line))),
  );
}

function Totals({ model }) {
  const row = (r, key) => h(View, { key, style: s.totalsRow }, h(Text, { style: s.muted }, r.label), h(Text, null, r.value));
  return h(
    View,
    { style: s.totals, wrap: false },
    row(model.subtotal, "subtotal"),
    ...model.taxRows.map((r, i) => row(r, `tax${i}`)),
    h(View, { style: s.grandTotal }, h(Text, null, model.total.label), h(Text, null, model.total.value)),
  );
}

function Closing({ model }) {
  return h(
    View,
    null,
    model.notes.length > 0 ? h(View, { style: s.section, wrap: false }, ...model.notes.map((n, i) => h(Text, { key: i }, n))) : null,
    model.payment.length > 0
      ? h(
          View,
          { style: s.section, wrap: false },
          t(s.heading, "Payment details"),
          ...model.payment.map((p) => h(View, { key: p.label, style: s.paymentRow }, t(s.paymentLabel, p.label), h(Text, null, p.value))),
        )
      : null,
    model.terms ? h(View, { style: s.section }, t(s.heading, "Terms"), h(Text, null, model.terms)) : null,
    t(s.small, model.roundingNote),
  );
}

/** Page chrome around the flowing content: the footer, with "Page X of Y", on every page. */
function pageLayout(model) {
  return function PageLayout({ pageNumber, totalPages, children }) {
    return [
      h(View, { key: "content", style: s.content }, children),
      h(View, { key: "footer", style: s.footer }, h(Text, null, model.footer), h(Text, null, `Page ${pageNumber} of ${totalPages}`)),
    ];
  };
}

const ITEM_COLUMN_TITLES = {
  number: "Invoice",
  issueDate: "Issued",
  dueDate: "Due date",
  total: "Total",
  paid: "Paid",
  pending: "Awaiting verification",
  due: "Amount due",
  daysPastDue: "Days past due",
};

/** Column cells for one open item; the header row passes the column titles. */
function itemCells(r) {
  return [
    t(s.cellInvoice, r.number),
    t(s.cellDate, r.issueDate),
    t(s.cellDate, r.dueDate),
    t(s.cellMoney, r.total),
    t(s.cellMoney, r.paid),
    t(s.cellPending, r.pending),
    t(s.cellDue, r.due),
    t(s.cellDays, r.daysPastDue),
  ];
}

function ItemsTable({ model }) {
  if (model.items.length === 0) return h(View, { style: s.section }, h(Text, null, model.emptyNote));
  return h(
    View,
    { style: s.itemsTable },
    // `fixed`: repeated at the top of every page the table continues on.
    h(View, { style: s.itemHeader, fixed: true }, ...itemCells(ITEM_COLUMN_TITLES)),
    ...model.items.map((item, i) =>
      h(
        View,
        { key: i, style: s.item, wrap: false },
        h(View, { style: s.itemLine }, ...itemCells(item)),
        item.reference ? t(s.reference, `Payment reference ${item.reference}`) : null,
      ),
    ),
  );
}

function AgeingSummary({ model }) {
  return h(
    View,
    { style: s.section, wrap: false },
    t(s.heading, "Ageing summary"),
    h(View, { style: [s.tableHeader, s.ageingTable] }, t(s.cellCurrency, "Currency"), ...model.ageingHeadings.map((label) => h(Text, { key: label, style: s.cellBucket }, label))),
    ...model.ageing.map((row) =>
      h(
        View,
        { key: row.currency, style: s.row },
        t(s.cellCurrency, row.currency),
        ...row.buckets.map((amount, i) => h(Text, { key: i, style: s.cellBucket }, amount)),
        t(s.cellBucketTotal, row.total),
      ),
    ),
  );
}

function StatementClosing({ model }) {
  return h(
    View,
    null,
    model.notes.length > 0 ? h(View, { style: s.section }, ...model.notes.map((n, i) => h(Text, { key: i }, n))) : null,
    h(
      View,
      { style: s.section, wrap: false },
      t(s.heading, "How to pay"),
      ...model.payment.map((p) => h(View, { key: p.label, style: s.paymentRow }, t(s.paymentLabel, p.label), h(Text, null, p.value))),
      t(s.paymentNote, model.paymentNote),
    ),
  );
}

/**
 * The react-pdf element for a statement of account.
 * @param {StatementRenderModel} model
 */
export function statementDocument(model) {
  return h(
    Document,
    { title: model.info.title, author: model.info.author, subject: model.info.subject, creator: "b2b-orders", producer: "b2b-orders" },
    h(
      Page,
      { size: "A4", style: s.page, layout: pageLayout(model) },
      h(Header, { model }),
      h(View, { style: s.customerBlock }, t(s.heading, model.customerHeading), h(Party, { party: model.customer, nameStyle: s.customerName })),
      t(s.heading, "Open items"),
      h(ItemsTable, { model }),
      h(AgeingSummary, { model }),
      h(StatementClosing, { model }),
    ),
  );
}

/**
 * The react-pdf element for one document.
 * @param {PdfRenderModel} model
 */
export function pdfDocument(model) {
  return h(
    Document,
    { title: model.info.title, author: model.info.author, subject: model.info.subject, creator: "b2b-orders", producer: "b2b-orders" },
    h(
      Page,
      // `layout` selects react-pdf's newer pagination engine, which measures the content once and
      // packs it into pages; the default one lays out everything after each page break again,
      // which made 400 lines take ~3× as long (quadratic in the page count). The tests check the
      // result page by page.
      { size: "A4", style: s.page, layout: pageLayout(model) },
      h(Header, { model }),
      h(
        View,
        { style: s.partiesRow },
        h(View, { style: s.customerBlock }, t(s.heading, model.customerHeading), h(Party, { party: model.customer, nameStyle: s.customerName })),
        model.shipTo ? h(View, { style: s.shipToBlock }, t(s.heading, "Ship to"), h(Party, { party: model.shipTo, nameStyle: s.customerName })) : null,
      ),
      h(LinesTable, { model }),
      h(Totals, { model }),
      h(Closing, { model }),
    ),
  );
}

const DN_COLUMN_TITLES = { lineNo: "#", sku: "SKU", name: "Description", ordered: "Ordered", before: "Shipped before", thisShipment: "This delivery", remaining: "Backordered" };

function dnCells(r) {
  return [
    t(s.cellNo, r.lineNo),
    t(s.cellSku, r.sku),
    t(s.cellName, r.name),
    t(s.cellQty, r.ordered),
    t(s.cellQty, r.before),
    t(s.cellNet, r.thisShipment),
    t(s.cellQty, r.remaining),
  ];
}

/**
 * The react-pdf element for a delivery note: no prices, the quantities of each order line.
 * @param {import("./delivery-note-model").DeliveryNoteRenderModel} model
 */
export function deliveryNoteDocument(model) {
  return h(
    Document,
    { title: model.info.title, author: model.info.author, subject: model.info.subject, creator: "b2b-orders", producer: "b2b-orders" },
    h(
      Page,
      { size: "A4", style: s.page, layout: pageLayout(model) },
      h(Header, { model }),
      h(
        View,
        { style: s.partiesRow },
        h(View, { style: s.customerBlock }, t(s.heading, "Customer"), h(Party, { party: model.customer, nameStyle: s.customerName })),
        model.shipTo ? h(View, { style: s.shipToBlock }, t(s.heading, "Ship to"), h(Party, { party: model.shipTo, nameStyle: s.customerName })) : null,
      ),
      h(
        View,
        null,
        h(View, { style: s.tableHeader, fixed: true }, ...dnCells(DN_COLUMN_TITLES)),
        ...model.lines.map((line, i) => h(View, { key: i, style: s.row, wrap: false }, ...dnCells(line))),
      ),
      h(View, { style: s.section, wrap: false }, ...model.summary.map((n, i) => h(Text, { key: i }, n))),
    ),
  );
}

/**
 * Renders a model to PDF bytes. CPU-bound for the whole render: call it in a worker thread.
 * @param {PdfRenderModel | StatementRenderModel | DeliveryNoteRenderModel} model
 * @param {{ fontDir: string }} options
 * @returns {Promise<Buffer>}
 */
export async function renderModelToBuffer(model, { fontDir }) {
  registerFonts(fontDir);
  if (model.kind === "delivery_note") return renderToBuffer(deliveryNoteDocument(model));
  return renderToBuffer(model.kind === "statement_of_account" ? statementDocument(model) : pdfDocument(model));
}
