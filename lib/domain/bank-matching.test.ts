import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchStatement, type MatchableInvoice, type MatchableLine, type MatchResult, type MatchSuggestion } from "./bank-matching";
import { creditorReference, formatCreditorReference, parseCreditorReference } from "./creditor-reference";
import { reconciliationFixture } from "./fixtures/reconciliation-fixture";

const numberOf = (n: number) => `INV-2026-${String(n).padStart(6, "0")}`;

/** An open EUR invoice of Acme GmbH for €1,000.00, with the RF reference the app issues for its number. */
function invoice(n: number, overrides: Partial<MatchableInvoice> = {}): MatchableInvoice {
  return {
    invoiceId: `inv-${n}`,
    number: numberOf(n),
    paymentReference: creditorReference(numberOf(n)),
    companyId: "acme",
    companyName: "Acme GmbH",
    currency: "EUR",
    outstandingMinor: 100_000n,
    dueDate: "2026-03-31",
    issueDate: "2026-03-01",
    ...overrides,
  };
}

function line(overrides: Partial<MatchableLine> = {}): MatchableLine {
  return { id: "line-1", bookedOn: "2026-04-02", amountMinor: 100_000n, currency: "EUR", counterparty: "", reference: "", ...overrides };
}

const ref = (n: number) => creditorReference(numberOf(n));

function single(result: MatchResult): MatchSuggestion {
  expect(result.unmatched).toEqual([]);
  expect(result.suggestions).toHaveLength(1);
  return result.suggestions[0]!;
}

describe("matchStatement: exact references", () => {
  it("matches an RF reference typed with spaces and in lower case, and says why in one sentence", () => {
    const invoices = [invoice(123, { paymentReference: "RF18539007547034" }), invoice(124)];
    const s = single(matchStatement([line({ reference: "Zahlung rf18 5390 0754 7034 danke" })], invoices));
    expect(s).toEqual({
      lineId: "line-1",
      companyId: "acme",
      allocations: [{ invoiceId: "inv-123", amountMinor: 100_000n }],
      confidence: 99,
      method: "reference",
      reason: "RF reference RF18 5390 0754 7034 matches INV-2026-000123 exactly; the amount equals the amount due.",
      outcome: "exact",
      differenceMinor: 0n,
    });
  });

  it.each([
    ["electronic format", "RF98INV2026000123"],
    ["printed groups of four", "RF98 INV2 0260 0012 3"],
    ["lower case followed by punctuation", "paid: rf98inv2026000123, thanks"],
  ])("reads the app's own references in %s", (_, text) => {
    const s = single(matchStatement([line({ reference: text })], [invoice(123), invoice(124)]));
    expect(s.allocations).toEqual([{ invoiceId: "inv-123", amountMinor: 100_000n }]);
    expect(s.method).toBe("reference");
  });

  it.each(["INV-2026-000123", "inv 2026 123", "inv2026-000123", "INV2026000123", "Invoice no. 2026/123", "Rechnung INV.2026.0123"])(
    "reads invoice number %s as INV-2026-000123",
    (text) => {
      const s = single(matchStatement([line({ reference: text })], [invoice(123), invoice(124)]));
      expect(s.allocations).toEqual([{ invoiceId: "inv-123", amountMinor: 100_000n }]);
      expect(s.method).toBe("invoice_number");
      expect(s.confidence).toBe(92);
    },
  );

  it("does not read digits glued to other text as an invoice number", () => {
    const r = matchStatement([line({ amountMinor: 5n, reference: "PREVINV2026000123" })], [invoice(123)]);
    expect(r).toEqual({ suggestions: [], unmatched: ["line-1"] });
  });

  it("turns two references in one line into one suggestion over both invoices, earliest due first", () => {
    const invoices = [invoice(123, { dueDate: "2026-04-30" }), invoice(124, { dueDate: "2026-03-31", outstandingMinor: 50_000n })];
    const s = single(matchStatement([line({ amountMinor: 150_000n, reference: `${ref(123)} ${ref(124)}` })], invoices));
    expect(s.allocations).toEqual([
      { invoiceId: "inv-124", amountMinor: 50_000n },
      { invoiceId: "inv-123", amountMinor: 100_000n },
    ]);
    expect([s.method, s.confidence, s.outcome, s.differenceMinor]).toEqual(["reference", 99, "exact", 0n]);
    expect(s.reason).toBe(
      `RF reference ${formatCreditorReference(ref(123))} matches INV-2026-000123 exactly; RF reference ${formatCreditorReference(ref(124))} matches INV-2026-000124 exactly; the amount equals the total due.`,
    );
  });

  it("combines an RF reference and an invoice number, and rates the whole by the weaker evidence", () => {
    const s = single(matchStatement([line({ amountMinor: 200_000n, reference: `${ref(123)} + INV-2026-000124` })], [invoice(123), invoice(124)]));
    expect(s.allocations.map((a) => a.invoiceId)).toEqual(["inv-123", "inv-124"]);
    expect([s.method, s.confidence]).toEqual(["invoice_number", 92]);
  });

  it("keeps a suggestion to one customer: the one most references name; the other invoice is left out and said so", () => {
    const invoices = [invoice(123), invoice(200, { companyId: "beta", companyName: "Beta Ltd" }), invoice(201, { companyId: "beta", companyName: "Beta Ltd" })];
    const s = single(matchStatement([line({ amountMinor: 300_000n, reference: "INV-2026-000123 INV-2026-000200 INV-2026-000201" })], invoices));
    expect(s.companyId).toBe("beta");
    expect(s.allocations.map((a) => a.invoiceId)).toEqual(["inv-200", "inv-201"]);
    expect(s.reason).toContain("INV-2026-000123 belongs to another customer and was left out");
    expect([s.outcome, s.differenceMinor]).toEqual(["over", 100_000n]);
  });

  it("reads an invoice number written inside an RF reference only once, as part of the reference", () => {
    // Without that, the typo'd reference would also name invoice 132 exactly.
    const typo = "RF98 INV2026000132";
    expect(parseCreditorReference(typo)).toBeNull();
    const s = single(matchStatement([line({ reference: typo })], [invoice(123), invoice(132)]));
    expect(s.allocations).toEqual([{ invoiceId: "inv-123", amountMinor: 100_000n }]);
    expect(s.method).toBe("reference_fuzzy");
  });
});

describe("matchStatement: amounts that do not fit", () => {
  it("flags a short payment with the missing amount and allocates all of it", () => {
    const s = single(matchStatement([line({ amountMinor: 60_000n, reference: ref(123) })], [invoice(123)]));
    expect(s).toMatchObject({ allocations: [{ invoiceId: "inv-123", amountMinor: 60_000n }], outcome: "short", differenceMinor: -40_000n, confidence: 96 });
    expect(s.reason).toContain("the payment is €400.00 short of the €1,000.00 due");
  });

  it("flags an over-payment with the excess, which stays unallocated", () => {
    const s = single(matchStatement([line({ amountMinor: 125_050n, reference: "INV-2026-000123" })], [invoice(123)]));
    expect(s).toMatchObject({ allocations: [{ invoiceId: "inv-123", amountMinor: 100_000n }], outcome: "over", differenceMinor: 25_050n, confidence: 86 });
    expect(s.reason).toContain("the payment is €250.50 more than the €1,000.00 due, and the excess stays unallocated");
  });

  it("fills a short multi-invoice payment in due-date order, the last invoice partly", () => {
    const invoices = [invoice(123, { dueDate: "2026-05-31" }), invoice(124, { dueDate: "2026-04-30" }), invoice(125, { dueDate: "2026-03-31" })];
    const s = single(matchStatement([line({ amountMinor: 250_000n, reference: `${ref(123)} ${ref(124)} ${ref(125)}` })], invoices));
    expect(s.allocations).toEqual([
      { invoiceId: "inv-125", amountMinor: 100_000n },
      { invoiceId: "inv-124", amountMinor: 100_000n },
      { invoiceId: "inv-123", amountMinor: 50_000n },
    ]);
    expect([s.outcome, s.differenceMinor]).toEqual(["short", -50_000n]);
  });
});

describe("matchStatement: references with a typing error", () => {
  const real = ref(123); // RF98INV2026000123
  it.each([
    ["a mistyped digit", "RF98INV2026000128", "one character differs"],
    ["two swapped digits", "RF98INV2026000132", "two neighbouring characters are swapped"],
    ["a missing digit", "RF98INV202600123", "one character is missing"],
    ["an extra digit", "RF98INV20260001723", "it has one character too many"],
    ["mistyped check digits", "RF89INV2026000123", "two neighbouring characters are swapped"],
  ])("matches an RF reference with %s to the invoice it was meant for", (_, typo, edit) => {
    expect(parseCreditorReference(typo)).toBeNull();
    const s = single(matchStatement([line({ reference: `Ref ${typo.toLowerCase()}` })], [invoice(123), invoice(124), invoice(7)]));
    expect(s).toMatchObject({ allocations: [{ invoiceId: "inv-123", amountMinor: 100_000n }], method: "reference_fuzzy", confidence: 80, outcome: "exact" });
    expect(s.reason).toBe(
      `"${typo.toLowerCase()}" is not a valid RF reference (its check digits fail) and was probably meant to be ${formatCreditorReference(real)} of INV-2026-000123, as ${edit}; the amount equals the amount due.`,
    );
  });

  it("matches a typo'd reference written in groups of four", () => {
    const s = single(matchStatement([line({ reference: "RF98 INV2 0260 0013 2 thank you" })], [invoice(123), invoice(124)]));
    expect(s.allocations.map((a) => a.invoiceId)).toEqual(["inv-123"]);
    expect(s.reason).toContain('"RF98 INV2 0260 0013 2" is not a valid RF reference');
  });

  it("does not bend an RF reference with valid check digits towards a similar one of ours", () => {
    // One inserted digit away from invoice 123's reference, yet valid: it is someone else's reference.
    const otherCreditors = "RF98INV20260001423";
    expect(parseCreditorReference(otherCreditors)).toBe(otherCreditors);
    const r = matchStatement([line({ amountMinor: 12_345n, reference: otherCreditors })], [invoice(123)]);
    expect(r).toEqual({ suggestions: [], unmatched: ["line-1"] });
  });

  it("still finds an invoice whose stored reference itself fails its check digits, and says so", () => {
    const s = single(matchStatement([line({ reference: "RF00INV2026000123" })], [invoice(123, { paymentReference: "RF00INV2026000123" })]));
    expect([s.method, s.confidence]).toEqual(["reference_fuzzy", 80]);
    expect(s.reason).toContain("the invoice's own reference fails its check digits");
  });

  it("matches an invoice number with two swapped digits that names no invoice", () => {
    const s = single(matchStatement([line({ reference: "INV-2026-000132" })], [invoice(123), invoice(124)]));
    expect(s).toMatchObject({ allocations: [{ invoiceId: "inv-123", amountMinor: 100_000n }], method: "reference_fuzzy", confidence: 80 });
    expect(s.reason).toBe('"INV-2026-000132" matches no invoice and was probably meant to be INV-2026-000123, as two neighbouring characters are swapped; the amount equals the amount due.');
  });

  it("matches an invoice number missing a digit that padding with zeros cannot explain", () => {
    const s = single(matchStatement([line({ reference: "INV-2026-00013" })], [invoice(123), invoice(124, { outstandingMinor: 5n })]));
    expect(s.allocations.map((a) => a.invoiceId)).toEqual(["inv-123"]);
    expect(s.reason).toContain("one character is missing");
  });

  it("lets the amount decide between two invoices a typo is equally close to, and otherwise guesses neither", () => {
    const invoices = [invoice(123), invoice(124, { outstandingMinor: 70_000n })];
    const decided = single(matchStatement([line({ amountMinor: 70_000n, reference: "INV-2026-000125" })], invoices));
    expect(decided.allocations).toEqual([{ invoiceId: "inv-124", amountMinor: 70_000n }]);
    expect(matchStatement([line({ amountMinor: 30_000n, reference: "INV-2026-000125" })], invoices).unmatched).toEqual(["line-1"]);
  });

  it("never points a typo at an invoice an earlier line already paid", () => {
    const lines = [line({ id: "first", reference: ref(123) }), line({ id: "second", amountMinor: 4_321n, reference: "INV-2026-000132" })];
    const r = matchStatement(lines, [invoice(123)]);
    expect(r.suggestions.map((s) => s.lineId)).toEqual(["first"]);
    expect(r.unmatched).toEqual(["second"]);
  });
});

describe("matchStatement: no usable reference", () => {
  const other = invoice(900, { companyId: "zeta", companyName: "Zeta Industries", outstandingMinor: 77_700n });

  it.each([
    ["Müller Anlagenbau GmbH", "MUELLER ANLAGENBAU"],
    ["Acme, Inc.", "ACME INC"],
    ["Van Dijk Transport B.V.", "VAN DIJK TRANSPORT BV"],
    ["Globex Ltd", "Globex Limited"],
    ["Société Générale d'Équipement SA", "SOCIETE GENERALE D EQUIPEMENT"],
    ["Carlsen & Co. KG", "Carlsen und Co"],
  ])("matches by amount and name: %s paid as %s", (companyName, counterparty) => {
    const invoices = [invoice(123, { companyId: "c", companyName, outstandingMinor: 43_210n }), other];
    const s = single(matchStatement([line({ amountMinor: 43_210n, counterparty, reference: "Invoice March, thank you" })], invoices));
    expect(s).toMatchObject({ companyId: "c", allocations: [{ invoiceId: "inv-123", amountMinor: 43_210n }], method: "amount_and_name", confidence: 70, outcome: "exact" });
    expect(s.reason).toBe(`The amount €432.10 equals the amount due on INV-2026-000123, the only open invoice with that amount, and the payer "${counterparty}" resembles its customer ${companyName}${companyName.endsWith(".") ? "" : "."}`);
  });

  it("gives a payer name that covers only part of the customer's name less confidence", () => {
    const invoices = [invoice(123, { companyName: "Acme Industrial Supplies GmbH", outstandingMinor: 43_210n }), other];
    const s = single(matchStatement([line({ amountMinor: 43_210n, counterparty: "ACME" })], invoices));
    expect([s.method, s.confidence]).toEqual(["amount_and_name", 66]);
  });

  it("lets the payer's name pick between invoices of different customers with the same amount", () => {
    const invoices = [invoice(123), invoice(200, { companyId: "beta", companyName: "Beta Logistics Ltd" })];
    const s = single(matchStatement([line({ counterparty: "BETA LOGISTICS" })], invoices));
    expect(s).toMatchObject({ companyId: "beta", allocations: [{ invoiceId: "inv-200", amountMinor: 100_000n }], method: "amount_and_name", confidence: 62 });
    expect(s.reason).toContain("and on 1 other open invoice");
  });

  it("matches a payment of everything a named customer owes as a company total, in due-date order", () => {
    const invoices = [
      invoice(1, { outstandingMinor: 30_000n, dueDate: "2026-04-30" }),
      invoice(2, { outstandingMinor: 20_000n, dueDate: "2026-03-31" }),
      invoice(3, { outstandingMinor: 50_000n, dueDate: "2026-05-31" }),
      invoice(4, { outstandingMinor: 99_000n, currency: "USD" }),
      other,
    ];
    const s = single(matchStatement([line({ amountMinor: 100_000n, counterparty: "ACME GMBH" })], invoices));
    expect(s).toMatchObject({ companyId: "acme", method: "company_total", confidence: 65, outcome: "exact", differenceMinor: 0n });
    expect(s.allocations).toEqual([
      { invoiceId: "inv-2", amountMinor: 20_000n },
      { invoiceId: "inv-1", amountMinor: 30_000n },
      { invoiceId: "inv-3", amountMinor: 50_000n },
    ]);
    expect(s.reason).toBe('The amount €1,000.00 equals the total due on all 3 open invoices of Acme GmbH, whose name resembles the payer "ACME GMBH"; there is no usable reference.');
  });

  it("matches by amount alone, with low confidence, when the payer resembles no customer", () => {
    const s = single(matchStatement([line({ amountMinor: 77_700n, counterparty: "PAYPAL EUROPE SARL" })], [invoice(123), other]));
    expect(s).toMatchObject({ companyId: "zeta", method: "amount", confidence: 40 });
    expect(s.reason).toContain('the payer "PAYPAL EUROPE SARL" resembles no customer');
  });

  it("lowers the confidence further when the payer resembles a different customer", () => {
    const s = single(matchStatement([line({ amountMinor: 77_700n, counterparty: "Acme GmbH" })], [invoice(123), other]));
    expect(s).toMatchObject({ companyId: "zeta", method: "amount", confidence: 30 });
    expect(s.reason).toContain("resembles another customer, Acme GmbH");
  });

  it.each([
    ["two customers' invoices and no name to tell them apart", [invoice(1), invoice(2, { companyId: "b", companyName: "Beta Ltd" })], "SOMEONE"],
    ["two invoices of the named customer", [invoice(1), invoice(2)], "ACME GMBH"],
    ["two customers with equally similar names", [invoice(1, { companyName: "Acme Trading GmbH" }), invoice(2, { companyId: "b", companyName: "Acme Trading Ltd" })], "ACME TRADING"],
  ])("leaves a line unmatched when its amount fits %s", (_, invoices, counterparty) => {
    expect(matchStatement([line({ counterparty })], invoices)).toEqual({ suggestions: [], unmatched: ["line-1"] });
  });

  it("leaves noise unmatched", () => {
    expect(matchStatement([line({ amountMinor: 1_234n, counterparty: "J. Random", reference: "Refund order 5531" })], [invoice(123), other]).unmatched).toEqual(["line-1"]);
  });
});

describe("matchStatement: currencies", () => {
  it("leaves a line unmatched that names an invoice in another currency, even if its amount fits one in its own", () => {
    const invoices = [invoice(123, { currency: "CHF" }), invoice(124, { currency: "EUR", companyId: "beta", companyName: "Beta Ltd" })];
    expect(matchStatement([line({ currency: "EUR", reference: ref(123) })], invoices)).toEqual({ suggestions: [], unmatched: ["line-1"] });
  });

  it("does not match an amount in another currency", () => {
    expect(matchStatement([line({ currency: "USD", counterparty: "ACME GMBH" })], [invoice(123)]).unmatched).toEqual(["line-1"]);
  });

  it("treats currency codes case-insensitively", () => {
    expect(single(matchStatement([line({ currency: "eur", reference: ref(123) })], [invoice(123)])).method).toBe("reference");
  });
});

describe("matchStatement: one statement, in line order", () => {
  it("lets a second line paying the same invoice find only what is left, and a third an over-payment", () => {
    const lines = ["a", "b", "c"].map((id) => line({ id, amountMinor: 60_000n, reference: ref(123) }));
    const r = matchStatement(lines, [invoice(123)]);
    expect(r.unmatched).toEqual([]);
    expect(r.suggestions.map((s) => [s.lineId, s.allocations, s.outcome, s.differenceMinor, s.confidence])).toEqual([
      ["a", [{ invoiceId: "inv-123", amountMinor: 60_000n }], "short", -40_000n, 96],
      ["b", [{ invoiceId: "inv-123", amountMinor: 40_000n }], "over", 20_000n, 95],
      ["c", [], "over", 60_000n, 95],
    ]);
    expect(r.suggestions[2]!.reason).toBe(
      `RF reference ${formatCreditorReference(ref(123))} matches INV-2026-000123 exactly; INV-2026-000123 was already paid by an earlier line of this statement, so all €600.00 is an over-payment and nothing is allocated.`,
    );
  });

  it("matches amounts against what earlier lines left open", () => {
    const invoices = [invoice(123), invoice(200, { companyId: "beta", companyName: "Beta Ltd", outstandingMinor: 40_000n })];
    const lines = [line({ id: "a", amountMinor: 60_000n, reference: ref(123) }), line({ id: "b", amountMinor: 40_000n, counterparty: "ACME" })];
    const r = matchStatement(lines, invoices);
    expect(r.suggestions[1]).toMatchObject({ lineId: "b", companyId: "acme", allocations: [{ invoiceId: "inv-123", amountMinor: 40_000n }], method: "amount_and_name", confidence: 62 });
  });

  it("leaves lines that are not credits unmatched", () => {
    expect(matchStatement([line({ amountMinor: 0n, reference: ref(123) }), line({ id: "line-2", amountMinor: -5n, reference: ref(123) })], [invoice(123)]).unmatched).toEqual(["line-1", "line-2"]);
  });

  it("gives the same result for the same input, whatever order the invoices come in", () => {
    const { invoices, lines } = reconciliationFixture;
    const first = matchStatement(lines, invoices);
    expect(matchStatement(lines, invoices)).toEqual(first);
    expect(matchStatement(lines, [...invoices].reverse())).toEqual(first);
    expect(matchStatement(lines, [...invoices.slice(3), ...invoices.slice(0, 3)])).toEqual(first);
  });

  it("does not change its input", () => {
    const invoices = [invoice(123)];
    const lines = [line({ reference: ref(123) })];
    const before = structuredClone({ invoices, lines });
    matchStatement(lines, invoices);
    expect({ invoices, lines }).toEqual(before);
  });
});

describe("matchStatement: reconciliation fixture", () => {
  it("offers the expected suggestions and leaves the expected lines unmatched", () => {
    const { invoices, lines, expected } = reconciliationFixture;
    const result = matchStatement(lines, invoices);
    expect(result.unmatched).toEqual(expected.unmatched);
    expect(result.suggestions.map(({ reason: _, ...rest }) => rest)).toEqual(expected.suggestions.map(({ reasonMentions: _, ...rest }) => rest));
    for (const [i, e] of expected.suggestions.entries()) for (const words of e.reasonMentions) expect(result.suggestions[i]!.reason).toContain(words);
  });
});

describe("matchStatement: property", () => {
  const names = ["Acme GmbH", "Beta Logistics Ltd", "Carlsen & Co. KG"];
  const invoiceArb = fc.record({
    n: fc.integer({ min: 1, max: 60 }),
    company: fc.integer({ min: 0, max: 2 }),
    currency: fc.constantFrom("EUR", "USD"),
    outstanding: fc.bigInt({ min: 1n, max: 5_000n }),
    due: fc.constantFrom("2026-03-31", "2026-04-30", "2026-05-31"),
  });
  const lineArb = fc.record({
    refs: fc.array(fc.record({ pick: fc.nat(), form: fc.constantFrom("rf", "rf-printed", "number", "number-short", "rf-typo", "number-typo") }), { maxLength: 3 }),
    amount: fc.oneof(fc.bigInt({ min: 1n, max: 12_000n }), fc.nat().map((i) => -BigInt(i + 1))),
    // Most lines pay what the invoices they name (or one invoice, or a whole customer) are owed.
    pays: fc.constantFrom("named", "named", "one", "customer", "as generated"),
    payer: fc.oneof(fc.constantFrom(...names, "ACME", "BETA LOGISTICS", ""), fc.string({ maxLength: 12 })),
    currency: fc.constantFrom("EUR", "USD"),
  });
  const typo = (s: string, at: number) => {
    const i = 4 + (at % (s.length - 4));
    return s.slice(0, i) + (s[i] === "1" ? "2" : "1") + s.slice(i + 1);
  };

  it("never allocates more than a line's amount, nor more than an invoice's outstanding over the whole statement", () => {
    fc.assert(
      fc.property(fc.uniqueArray(invoiceArb, { selector: (i) => i.n, minLength: 1, maxLength: 12 }), fc.array(lineArb, { maxLength: 15 }), (rawInvoices, rawLines) => {
        const invoices = rawInvoices.map((i) =>
          invoice(i.n, { companyId: `c${i.company}`, companyName: names[i.company]!, currency: i.currency, outstandingMinor: i.outstanding, dueDate: i.due }),
        );
        const lines = rawLines.map((l, k) => {
          const text = l.refs.map(({ pick, form }) => {
            const inv = invoices[pick % invoices.length]!;
            const rf = inv.paymentReference!;
            if (form === "rf") return rf.toLowerCase();
            if (form === "rf-printed") return formatCreditorReference(rf);
            if (form === "rf-typo") return typo(rf, pick);
            if (form === "number") return inv.number;
            if (form === "number-typo") return typo(inv.number, pick);
            return inv.number.replace(/-0+/, " ");
          });
          const named = [...new Set(l.refs.map(({ pick }) => invoices[pick % invoices.length]!))];
          const one = invoices[k % invoices.length]!;
          const due =
            l.pays === "named" && named.length > 0
              ? named.reduce((t, i) => t + i.outstandingMinor, 0n)
              : l.pays === "customer"
                ? invoices.filter((i) => i.companyId === one.companyId && i.currency === one.currency).reduce((t, i) => t + i.outstandingMinor, 0n)
                : l.pays === "as generated"
                  ? l.amount
                  : one.outstandingMinor;
          return line({ id: `l${k}`, amountMinor: due, counterparty: l.payer, currency: l.currency, reference: text.join(" ") });
        });

        const result = matchStatement(lines, invoices);
        expect([...result.suggestions.map((s) => s.lineId), ...result.unmatched].sort()).toEqual(lines.map((l) => l.id).sort());
        const allocated = new Map<string, bigint>();
        for (const s of result.suggestions) {
          const l = lines.find((x) => x.id === s.lineId)!;
          const sum = s.allocations.reduce((t, a) => t + a.amountMinor, 0n);
          expect(sum <= l.amountMinor).toBe(true);
          // All of a line is allocated unless it pays more than is due: then exactly the excess is not.
          expect(sum).toBe(l.amountMinor - (s.differenceMinor > 0n ? s.differenceMinor : 0n));
          expect(s.outcome).toBe(s.differenceMinor === 0n ? "exact" : s.differenceMinor < 0n ? "short" : "over");
          expect(Number.isInteger(s.confidence) && s.confidence >= 0 && s.confidence <= 100).toBe(true);
          for (const a of s.allocations) {
            const inv = invoices.find((i) => i.invoiceId === a.invoiceId)!;
            expect(a.amountMinor > 0n).toBe(true);
            expect(inv.companyId).toBe(s.companyId);
            expect(inv.currency).toBe(l.currency);
            allocated.set(a.invoiceId, (allocated.get(a.invoiceId) ?? 0n) + a.amountMinor);
          }
        }
        for (const [id, total] of allocated) expect(total <= invoices.find((i) => i.invoiceId === id)!.outstandingMinor).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
