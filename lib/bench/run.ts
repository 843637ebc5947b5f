// npm run bench: benchmarks that report ratios against a baseline measured in the same run.
// Needs a PostgreSQL server (BENCH_DATABASE_URL or the local one); each measurement uses a
// scratch database that is dropped afterwards.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });

async function withScratchDb<T>(fn: (url: string) => T): Promise<T> {
  const name = `b2b_bench_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  }
}

type CatalogRun = { size: number; results: Record<string, number>; rows: Record<string, number> };

function catalogRun(size: number, url: string): CatalogRun {
  const out = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/bench/catalog-worker.ts", String(size)], {
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`catalog bench at ${size} failed:\n${out.stderr}`);
  const line = out.stdout.trim().split("\n").at(-1)!;
  return JSON.parse(line) as CatalogRun;
}

async function catalogBench() {
  console.log("\n== Catalogue: 100,000 products vs 1,000 (median of 40 runs each; target ≤ 3×)");
  const small = await withScratchDb((url) => catalogRun(1_000, url));
  const large = await withScratchDb((url) => catalogRun(100_000, url));
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad("operation", 40)} ${pad("1k ms", 9)} ${pad("100k ms", 9)} ${pad("rows", 10)} ratio`);
  let worst = 0;
  for (const op of Object.keys(small.results)) {
    const a = small.results[op]!;
    const b = large.results[op]!;
    const ratio = b / a;
    const indexed = !op.includes("not targeted");
    if (indexed) worst = Math.max(worst, ratio);
    console.log(
      `${pad(op, 40)} ${pad(a.toFixed(2), 9)} ${pad(b.toFixed(2), 9)} ${pad(`${small.rows[op]}/${large.rows[op]}`, 10)} ${ratio.toFixed(2)}×${indexed ? (ratio <= 3 ? "" : "  OVER TARGET") : "  "}`,
    );
  }
  console.log(`worst indexed ratio: ${worst.toFixed(2)}× (target ≤ 3×)`);
}

async function ordersBench() {
  console.log("\n== Orders: submit + accept through the app's service path vs raw postgres.js, 32 concurrent clients (target ratio ≥ 0.8)");
  const modes = [
    ["", "32 buyers of 32 companies (the target)"],
    ["shared", "32 buyers of one company (all accepts queue on its row for the credit check; not the target)"],
  ] as const;
  for (const [mode, label] of modes) {
    const result = await withScratchDb((url) => {
      const out = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/bench/orders-worker.ts", "32", "8000", url, mode], {
        env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: "10", AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn", BCRYPT_COST: "4" },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      if (out.status !== 0) throw new Error(`orders bench failed:\n${out.stderr}`);
      return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as {
        ratio: number;
        invariantViolations: number;
        app: { ops: number; opsPerSec: number; p50: number; p99: number };
        baseline: { ops: number; opsPerSec: number; p50: number; p99: number };
      };
    });
    console.log(`-- ${label}`);
    for (const r of [result.baseline, result.app]) {
      const name = r === result.app ? "app service path" : "raw postgres.js baseline";
      console.log(`${name.padEnd(26)} ${r.opsPerSec.toFixed(1).padStart(8)} submit+accept/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (${r.ops} ops)`);
    }
    console.log(`ratio app/baseline: ${result.ratio.toFixed(2)}${mode ? "" : " (target ≥ 0.8)"}; stock invariant violations: ${result.invariantViolations}`);
  }
}

async function webhooksBench() {
  console.log("\n== Webhooks: outbox → relay → pg-boss → signed POST → attempt log, to a local receiver (target ≥ 500 events/s)");
  const result = await withScratchDb((url) => {
    const out = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/bench/webhooks-worker.ts", "5000", url], {
      env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: "10", AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn" },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`webhooks bench failed:\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { events: number; seconds: number; loggedSeconds: number; eventsPerSec: number; requests: number; distinct: number; logged: number; loggedOk: number };
  });
  console.log(`${result.events} events delivered in ${result.seconds.toFixed(2)} s: ${result.eventsPerSec.toFixed(0)} events/s (${(result.eventsPerSec / 500).toFixed(2)}× the 500/s target)`);
  console.log(`receiver: ${result.requests} requests, ${result.distinct} distinct webhook-ids; log: ${result.logged} attempts, ${result.loggedOk} succeeded, complete after ${result.loggedSeconds.toFixed(2)} s`);
}

async function pdfBenchRun() {
  console.log("\n== PDF: render times, memory, and a cheap request's p99 while 400-line PDFs render (target ≤ 2×)");
  const { pdfBench } = await import("./pdf-bench");
  await pdfBench();
}

async function paymentsBench() {
  console.log("\n== Payments: record a 1.00 payment through the app's service path vs raw postgres.js, 32 concurrent clients (target ratio ≥ 0.8)");
  type Side = { ops: number; opsPerSec: number; p50: number; p99: number };
  type Profile = { statementsPerOp: number; roundTripsPerOp: number };
  const result = await withScratchDb((url) => {
    const out = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/bench/payments-worker.ts", "32", "8000", url], {
      env: { ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: "10", AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn", BCRYPT_COST: "4" },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`payments bench failed:\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as {
      app: Side;
      baseline: Side;
      ratio: number;
      invariantViolations: number;
      invariants: Record<string, number>;
      profile: { app: Profile; baseline: Profile };
    };
  });
  for (const [name, r] of [["raw postgres.js baseline", result.baseline], ["app service path", result.app]] as const) {
    console.log(`${name.padEnd(26)} ${r.opsPerSec.toFixed(1).padStart(8)} payments/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (${r.ops} ops)`);
  }
  const violations = Object.entries(result.invariants).filter(([, n]) => n !== 0).map(([k, n]) => `${k}=${n}`);
  console.log(
    `ratio app/baseline: ${result.ratio.toFixed(2)} (target ≥ 0.8); p99 app ${result.app.p99.toFixed(1)} ms vs baseline ${result.baseline.p99.toFixed(1)} ms; invariant violations: ${result.invariantViolations}${violations.length ? ` (${violations.join(", ")})` : ""}`,
  );
  const { app, baseline } = result.profile;
  console.log(`per payment: app ${app.statementsPerOp} statements / ${app.roundTripsPerOp} round trips, baseline ${baseline.statementsPerOp} / ${baseline.roundTripsPerOp}`);
}

function matchingBench() {
  console.log("\n== Bank matching: a statement of N lines against N open invoices, 10,000 vs 1,000 (median of 5 runs, a fresh process per size; target ≤ 15×)");
  type Run = { size: number; ms: number; peakRssMb: number; heapUsedMb: number; matched: number; unmatched: number };
  const run = (size: number): Run => {
    const out = spawnSync("npx", ["tsx", "lib/bench/matching-bench.ts", String(size)], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`matching bench at ${size} failed:\n${out.stderr}`);
    return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Run;
  };
  const small = run(1_000);
  const large = run(10_000);
  for (const r of [small, large]) {
    console.log(`${String(r.size).padStart(6)} lines   ${r.ms.toFixed(1).padStart(7)} ms   peak RSS ${r.peakRssMb.toFixed(1)} MB   heap used ${r.heapUsedMb.toFixed(1)} MB   matched ${r.matched}, unmatched ${r.unmatched}`);
  }
  console.log(`ratio 10k/1k: time ${(large.ms / small.ms).toFixed(2)}× (target ≤ 15×), peak RSS ${(large.peakRssMb / small.peakRssMb).toFixed(2)}×, heap used ${(large.heapUsedMb / small.heapUsedMb).toFixed(2)}×`);
}

function importBench() {
  return withScratchDb((url) => {
    console.log("\n== Statement import: a cheap request's p99 in the importing process while a 10 MB CSV statement imports, vs idle (target ≤ 2×)");
    const out = spawnSync("npx", ["tsx", "--conditions=react-server", "lib/bench/import-worker.ts"], {
      env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn", BCRYPT_COST: "4" },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`import bench failed:\n${out.stderr}`);
    type Lat = { n: number; p50: number; p99: number; max: number };
    const r = JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { bytes: number; lines: number; storedLines: number; importMs: number; idle: Lat; busy: Lat; loopDelayMaxMs: number; loopDelayP99Ms: number; phases: Record<string, number> };
    const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
    console.log(`statement: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.lines} lines (${r.storedLines} stored); import took ${ms(r.importMs)}`);
    console.log(`phases: ${Object.entries(r.phases).map(([k, v]) => `${k} ${ms(v)}`).join(", ")}`);
    console.log(`request p50 idle / importing: ${ms(r.idle.p50)} / ${ms(r.busy.p50)}`);
    const ratio = r.busy.p99 / r.idle.p99;
    console.log(`request p99 idle / importing: ${ms(r.idle.p99)} / ${ms(r.busy.p99)} (max ${ms(r.busy.max)}, ${r.busy.n} requests) → ${ratio.toFixed(2)}×${ratio <= 2 ? "" : "  OVER TARGET"} (target ≤ 2×)`);
    console.log(`event-loop delay while importing: p99 ${ms(r.loopDelayP99Ms)}, max ${ms(r.loopDelayMaxMs)}`);
  });
}

/** A bench worker driven line by line over stdin/stdout (see lib/bench/audit-worker.ts). */
function lineWorker(script: string, args: string[], url: string) {
  const child = spawn("npx", ["tsx", "--conditions=react-server", script, ...args], {
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: "bench-secret-bench-secret-bench-secret", NODE_ENV: "production", LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    async next<T>(): Promise<T> {
      for (;;) {
        const line = await lines.next();
        if (line.done) throw new Error(`${script} ${args.join(" ")} ended early (exit ${await exited})`);
        if (line.value.startsWith("{")) return JSON.parse(line.value) as T;
      }
    },
    send: (line: string) => child.stdin.write(`${line}\n`),
    async end() {
      child.stdin.end();
      await exited;
    },
  };
}

async function auditBench() {
  const ROUNDS = 30;
  console.log(`\n== Audit viewer: a page at 1,000,000 events vs 1,000 (median of ${ROUNDS} alternating rounds, through the app's query path; target ≤ 3×)`);
  type Round = { times: Record<string, number>; rows: Record<string, number> };
  await withScratchDb(async (smallUrl) =>
    withScratchDb(async (largeUrl) => {
      const small = lineWorker("lib/bench/audit-worker.ts", ["1000"], smallUrl);
      const large = lineWorker("lib/bench/audit-worker.ts", ["1000000"], largeUrl);
      try {
        const [a, b] = await Promise.all([small.next<{ loadMs: number }>(), large.next<{ loadMs: number }>()]);
        console.log(`bulk load (one INSERT … SELECT): 1k ${a.loadMs.toFixed(0)} ms, 1M ${(b.loadMs / 1000).toFixed(1)} s`);
        const smallRounds: Round[] = [];
        const largeRounds: Round[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          small.send("round");
          smallRounds.push(await small.next<Round>());
          large.send("round");
          largeRounds.push(await large.next<Round>());
        }
        const median = (rounds: Round[], op: string) => {
          const t = rounds.map((x) => x.times[op]!).sort((p, q) => p - q);
          return t[Math.floor(t.length / 2)]!;
        };
        const pad = (s: string, n: number) => s.padEnd(n);
        console.log(`${pad("page", 36)} ${pad("1k ms", 9)} ${pad("1M ms", 9)} ${pad("rows", 8)} ratio`);
        let worst = 0;
        for (const op of Object.keys(smallRounds[0]!.times)) {
          const x = median(smallRounds, op);
          const y = median(largeRounds, op);
          const ratio = y / x;
          worst = Math.max(worst, ratio);
          const rows = `${smallRounds[0]!.rows[op]}/${largeRounds[0]!.rows[op]}`;
          console.log(`${pad(op, 36)} ${pad(x.toFixed(2), 9)} ${pad(y.toFixed(2), 9)} ${pad(rows, 8)} ${ratio.toFixed(2)}×${ratio <= 3 ? "" : "  OVER TARGET"}`);
        }
        console.log(`worst ratio: ${worst.toFixed(2)}× (target ≤ 3×)`);
      } finally {
        await Promise.all([small.end(), large.end()]);
      }
    }),
  );
}

const only = process.argv[2];
try {
  if (!only || only === "catalog") await catalogBench();
  if (!only || only === "orders") await ordersBench();
  if (!only || only === "payments") await paymentsBench();
  if (!only || only === "pdf") await pdfBenchRun();
  if (!only || only === "matching") matchingBench();
  if (!only || only === "import") await importBench();
  if (!only || only === "audit") await auditBench();
  if (!only || only === "webhooks") await webhooksBench();
} finally {
  await admin.end();
}
