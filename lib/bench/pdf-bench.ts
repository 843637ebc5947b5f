// PDF rendering benchmark (lib/pdf): render times, peak memory, and whether the event loop keeps
// answering while the worker pool renders. Called from lib/bench/run.ts; needs no database.
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { createPdfPool, type PdfPool } from "../pdf/render";
import { sampleDocument } from "../pdf/sample-data";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

async function timeRenders(pool: PdfPool, lines: number, runs: number): Promise<number> {
  const data = sampleDocument("quotation", lines, { discounts: true });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await pool.render(data);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Runs `work` while sampling the process RSS (main thread and workers) every 10 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; before: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()), before };
  } finally {
    clearInterval(timer);
  }
}

type Pings = { http: number[]; immediate: number[] };

/**
 * Pings this process's event loop back to back until `until` settles: a request to a tiny local
 * HTTP server (what a client of the app would notice) and a setImmediate round trip.
 */
async function pingWhile(port: number, agent: http.Agent, until: Promise<unknown>): Promise<Pings> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const pings: Pings = { http: [], immediate: [] };
  const get = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, path: "/ping", agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        })
        .on("error", reject);
    });
  while (!done) {
    let t0 = performance.now();
    await get();
    pings.http.push(performance.now() - t0);
    t0 = performance.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    pings.immediate.push(performance.now() - t0);
    // Pace the pings so they sample the whole run rather than saturate the loop.
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  return pings;
}

const sleep = (n: number) => new Promise<void>((resolve) => setTimeout(resolve, n));

export async function pdfBench(): Promise<void> {
  const pool = createPdfPool();
  const size = pool.stats().size;
  console.log(`\n== PDF rendering (lib/pdf, react-pdf in ${size} worker thread${size === 1 ? "" : "s"}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs)`);
  const server = http.createServer((_req, res) => res.end("pong"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const t0 = performance.now();
    await pool.warm();
    console.log(`worker start (react-pdf loaded, fonts read):   ${ms(performance.now() - t0)}`);

    for (const lines of [10, 400]) {
      console.log(`render ${String(lines).padStart(3)} lines, median of 3:            ${ms(await timeRenders(pool, lines, 3))}`);
    }
    const big = sampleDocument("quotation", 400, { discounts: true });
    const mem = await peakRss(() => pool.render(big));
    console.log(`peak RSS during a 400-line render:             ${mb(mem.peak)} (${mb(mem.before)} before, +${mb(mem.peak - mem.before)})`);

    const idle = await pingWhile(port, agent, sleep(5000));
    const renders = Promise.all(Array.from({ length: 4 }, () => pool.render(big)));
    const t1 = performance.now();
    const busy = await pingWhile(port, agent, renders);
    const busyMs = performance.now() - t1;
    const idleHttp = percentile(idle.http, 99);
    const busyHttp = percentile(busy.http, 99);
    const ratio = busyHttp / idleHttp;
    console.log(`4 × 400 lines in parallel through the pool:    ${ms(busyMs)} for all four`);
    console.log(`HTTP ping p50 idle / during the 4 renders:     ${ms(percentile(idle.http, 50))} / ${ms(percentile(busy.http, 50))}`);
    console.log(
      `HTTP ping p99 idle / during the 4 renders:     ${ms(idleHttp)} / ${ms(busyHttp)} (max ${ms(Math.max(...busy.http))}, ${busy.http.length} pings) → ${ratio.toFixed(2)}×${ratio <= 2 ? "" : "  OVER TARGET"} (target ≤ 2×)`,
    );
    console.log(
      `setImmediate p99 idle / during the 4 renders:  ${ms(percentile(idle.immediate, 99))} / ${ms(percentile(busy.immediate, 99))}`,
    );
    console.log("(rendered on the request thread instead, each render would stall every request for its full duration)");
  } finally {
    agent.destroy();
    server.close();
    await pool.close();
  }
}
