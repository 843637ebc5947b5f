// npm run bench: benchmarks that report ratios against a baseline measured in the same run.
// Needs a PostgreSQL server (BENCH_DATABASE_URL or the local one); each measurement uses a
// scratch database that is dropped afterwards.
import { spawnSync } from "node:child_process";
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
    return fn(url.toString());
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  }
}

type CatalogRun = { size: number; results: Record<string, number>; rows: Record<string, number> };

function catalogRun(size: number, url: string): CatalogRun {
  const out = spawnSync("npx", ["tsx", "--conditions=react-server", "bench/catalog-worker.ts", String(size)], {
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

try {
  await catalogBench();
} finally {
  await admin.end();
}
