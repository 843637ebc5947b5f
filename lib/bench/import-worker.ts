// Statement import vs the event loop: a cheap HTTP request's p99 in THIS process while a 10 MB,
// ~480,000-line bank statement imports through the app's own path (runMutation → importStatement),
// against the same request's p99 while idle, measured in the same run. Prints one JSON line.
// Run by lib/bench/run.ts with DATABASE_URL pointing at a scratch database.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";

const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { importStatement, rematchStatementLines, MAX_STATEMENT_BYTES } = await import("@/lib/services/reconciliation");
const { closeStatementPool, runStatementJob } = await import("@/lib/statements/pool");

await runMigrations();
await seedDemoData();
const [finance] = await queryRows<{ id: string; email: string; name: string }>(db, sql`select id, email, name from users where email = 'finance@demo.test'`);
const actor = { id: finance!.id, email: finance!.email, name: finance!.name, role: "finance" as const, companyId: null };

/** The case: short rows (date, amount, reference), as many as fit in 10 MB. */
function statement(): { content: string; lines: number } {
  const rows = ["date;amount;ref"];
  let bytes = rows[0]!.length;
  let i = 0;
  for (;;) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    const row = `${day}.11.2026;${1 + (i % 997)},${String(i % 100).padStart(2, "0")};R${i}`;
    if (bytes + row.length + 1 > MAX_STATEMENT_BYTES - 16) break;
    rows.push(row);
    bytes += row.length + 1;
    i++;
  }
  return { content: rows.join("\n"), lines: i };
}
const mapping = { date: "date", amount: "amount", reference: ["ref"], dateFormat: "DD.MM.YYYY", decimalSeparator: ",", defaultCurrency: "EUR" };

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

const server = http.createServer((_req, res) => res.end("pong"));
// A blocked event loop must show as latency, not as a keep-alive socket closed under the client.
server.keepAliveTimeout = 600_000;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () =>
  new Promise<void>((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/ping", agent }, (res) => {
        res.resume();
        res.on("end", resolve);
      })
      .on("error", reject);
  });

/** Requests back to back (1 ms apart) until `until` settles; their latencies. */
async function pingWhile(until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => {});
  const out: number[] = [];
  while (!done) {
    const t0 = performance.now();
    await get();
    out.push(performance.now() - t0);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  return out;
}

const { content, lines } = statement();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
// Warm the paths (parser worker, prepared statements) with a small statement of another bank.
await runMutation(importStatement, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, { bankName: "Warm-up Bank", iban: "DE89370400440532013000", content: content.slice(0, 2000).replace(/\n[^\n]*$/, ""), mapping });

// Where the time goes: parsing alone (in the worker), then the whole import, then matching alone.
let t = performance.now();
await runStatementJob({ kind: "parse", content, format: "csv", mapping: { ...mapping, reference: ["ref"], dateFormat: "DD.MM.YYYY", decimalSeparator: "," } });
const parseMs = performance.now() - t;

const idle = await pingWhile(sleep(4000));
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const t0 = performance.now();
const importing = runMutation(importStatement, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, { bankName: "Bench Bank", iban: "GB82WEST12345698765432", fileName: "big.csv", content, mapping });
const busy = await pingWhile(importing);
const result = await importing;
const importMs = performance.now() - t0;
loop.disable();
if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result).slice(0, 2000)}`);
t = performance.now();
const rematched = await runMutation(rematchStatementLines, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, {});
if (!rematched.ok) throw new Error(JSON.stringify(rematched));
const rematchMs = performance.now() - t;
const [stored] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from bank_statement_lines where bank_name = 'Bench Bank'`);

agent.destroy();
server.close();
await closeStatementPool();
await closeDb();
console.log(
  JSON.stringify({
    bytes: Buffer.byteLength(content),
    lines,
    storedLines: stored!.n,
    importMs,
    phases: { "parse and hash (worker)": parseMs, "whole import": importMs, "rematch of all open lines": rematchMs },
    result: result.data,
    idle: { n: idle.length, p50: percentile(idle, 50), p99: percentile(idle, 99), max: Math.max(...idle) },
    busy: { n: busy.length, p50: percentile(busy, 50), p99: percentile(busy, 99), max: Math.max(...busy) },
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
  }),
);
process.exit(0);
