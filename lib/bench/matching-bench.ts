// Bank matching benchmark (lib/domain/bank-matching): one statement of N lines against N open
// invoices of N/10 customers. `npx tsx lib/bench/matching-bench.ts <N>` prints one JSON line
// { size, ms, peakRssMb, heapUsedMb, matched, unmatched }; lib/bench/run.ts starts a fresh
// process per size, so the peak memory belongs to that size alone. Needs no database.
import { matchStatement, type MatchableInvoice, type MatchableLine } from "../domain/bank-matching";
import { creditorReference, formatCreditorReference } from "../domain/creditor-reference";

/** Seeded PRNG (mulberry32): every run benchmarks the same statement. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "bo", "da", "fe", "gu", "hi", "jo", "pa"];
const TRADES = ["Trading", "Logistics", "Foods", "Systems", "Tools", "Textiles", "Energy", "Medical"];
const LEGAL_FORMS = ["GmbH", "Ltd", "Inc.", "AG", "S.A.", "B.V.", "LLC"];

/** A distinct, pronounceable first word per customer, and a trade word many customers share. */
function customerName(i: number): string {
  let word = "";
  for (let k = 0, n = i; k < 4; k++, n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return `${word[0]!.toUpperCase()}${word.slice(1)} ${TRADES[i % TRADES.length]} ${LEGAL_FORMS[i % LEGAL_FORMS.length]}`;
}

function generateStatement(size: number): { invoices: MatchableInvoice[]; lines: MatchableLine[] } {
  const rnd = random(size);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const customers = Math.max(1, Math.floor(size / 10));

  const invoices: MatchableInvoice[] = [];
  for (let i = 1; i <= size; i++) {
    const number = `INV-2026-${String(i).padStart(6, "0")}`;
    const company = int(0, customers - 1);
    const due = new Date(Date.UTC(2026, 0, 1 + int(0, 180))).toISOString().slice(0, 10);
    invoices.push({
      invoiceId: `inv-${i}`,
      number,
      paymentReference: creditorReference(number),
      companyId: `company-${company}`,
      companyName: customerName(company),
      currency: rnd() < 0.9 ? "EUR" : "USD",
      // €100.00 to €99,999.99: wide enough that equal amounts are rare, as in real ledgers.
      outstandingMinor: BigInt(int(10_000, 9_999_999)),
      dueDate: due,
      issueDate: "2025-12-15",
    });
  }

  // Each invoice is paid by at most one line; a multi-invoice line pays two of one customer's.
  const order = invoices.map((_, i) => i).sort(() => rnd() - 0.5);
  const used = new Uint8Array(size);
  const byCustomer = new Map<string, number[]>();
  for (const i of order) {
    const key = `${invoices[i]!.companyId}:${invoices[i]!.currency}`;
    const list = byCustomer.get(key) ?? [];
    list.push(i);
    byCustomer.set(key, list);
  }
  let cursor = 0;
  const take = (): MatchableInvoice | null => {
    while (cursor < order.length && used[order[cursor]!]) cursor++;
    if (cursor >= order.length) return null;
    used[order[cursor]!] = 1;
    return invoices[order[cursor]!]!;
  };
  const takeAlongside = (first: MatchableInvoice): MatchableInvoice | null => {
    const list = byCustomer.get(`${first.companyId}:${first.currency}`)!;
    while (list.length > 0) {
      const i = list.pop()!;
      if (!used[i]) {
        used[i] = 1;
        return invoices[i]!;
      }
    }
    return null;
  };
  // Mostly paid as due; some partial payments and some rounded up.
  const paid = (due: bigint) => {
    const r = rnd();
    return r < 0.8 ? due : r < 0.9 ? due / 2n + 1n : due + 500n;
  };
  const typo = (ref: string) => {
    // A digit of the number part changed, or two neighbouring digits swapped: mod 97 notices both.
    const i = int(ref.length - 6, ref.length - 2);
    if (rnd() < 0.5 && ref[i] !== ref[i + 1]) return ref.slice(0, i) + ref[i + 1] + ref[i] + ref.slice(i + 2);
    return ref.slice(0, i) + String((Number(ref[i]) + int(1, 9)) % 10) + ref.slice(i + 1);
  };

  const lines: MatchableLine[] = [];
  for (let k = 0; k < size; k++) {
    const kind = k % 10;
    const base = { id: `line-${k}`, bookedOn: "2026-04-01" };
    const inv = kind === 9 ? null : take();
    if (!inv) {
      // Noise: refunds, transfers between own accounts, payments for something else.
      lines.push({ ...base, amountMinor: BigInt(int(100, 100_000)), currency: "EUR", counterparty: `Private payer ${k}`, reference: `Refund order ${int(1000, 99999)}` });
      continue;
    }
    const payer = inv.companyName.toUpperCase();
    const line = { ...base, currency: inv.currency, counterparty: payer };
    if (kind <= 4) {
      const ref = inv.paymentReference!;
      const written = kind % 2 === 0 ? ref : formatCreditorReference(ref).toLowerCase();
      lines.push({ ...line, amountMinor: paid(inv.outstandingMinor), reference: `Payment ${written} thank you` });
    } else if (kind === 5) {
      lines.push({ ...line, amountMinor: inv.outstandingMinor, reference: typo(inv.paymentReference!) });
    } else if (kind === 6) {
      const seq = inv.number.slice(-6);
      const written = [inv.number, `inv 2026 ${Number(seq)}`, `Invoice no. 2026/${seq}`, `inv2026-${seq}`][k % 4]!;
      lines.push({ ...line, amountMinor: paid(inv.outstandingMinor), reference: written });
    } else if (kind === 7) {
      const second = takeAlongside(inv);
      const both = second ? [inv, second] : [inv];
      lines.push({
        ...line,
        amountMinor: both.reduce((t, i) => t + i.outstandingMinor, 0n),
        reference: both.map((i) => (k % 4 === 3 ? i.number : i.paymentReference!)).join(", "),
      });
    } else {
      lines.push({ ...line, counterparty: payer.replace(/ \S+$/, ""), amountMinor: inv.outstandingMinor, reference: "Payment, thank you" });
    }
  }
  return { invoices, lines };
}

function main() {
  const size = Number(process.argv[2] ?? 1_000);
  if (!Number.isInteger(size) || size < 10) throw new Error("usage: matching-bench.ts <statement lines, at least 10>");
  const { invoices, lines } = generateStatement(size);
  const times: number[] = [];
  // One untimed run first, so the median measures the matcher rather than the JIT compiler.
  let result = matchStatement(lines, invoices);
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    result = matchStatement(lines, invoices);
    times.push(performance.now() - t0);
  }
  const ms = [...times].sort((a, b) => a - b)[2]!;
  const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  console.log(
    JSON.stringify({
      size,
      ms: Math.round(ms * 100) / 100,
      // maxRSS is the peak of this whole process in KiB: generation, indexes and results included.
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      heapUsedMb: mb(process.memoryUsage().heapUsed),
      matched: result.suggestions.length,
      unmatched: result.unmatched.length,
    }),
  );
}

main();
