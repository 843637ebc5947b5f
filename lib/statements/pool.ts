// Runs statement parsing and match planning (lib/domain/statement-work) in a worker thread, the way
// lib/pdf/render.ts runs react-pdf: a 10 MB statement is seconds of CPU, and on the request thread
// every other request of the process would wait for it. One worker by default (imports are rare; a
// second one queues), a bounded queue, a time limit per job, and a crashed or stopped worker is
// replaced for the next job. An idle worker does not keep a script's process alive.
//
// Under Next (build, start, standalone) Turbopack bundles the worker from the literal
// `new Worker(new URL("./worker.ts", import.meta.url))` below. Tests and scripts run from source
// (vitest, tsx), where Node cannot start a .ts worker by itself: there a small bootstrap registers
// tsx inside the worker first.
import { Worker } from "node:worker_threads";
import type { StatementJob, StatementJobResult } from "./jobs";
import { insideNextServer } from "@/lib/env";

export type StatementPoolErrorCode = "queue_full" | "timeout" | "worker_crashed" | "failed" | "pool_closed";

export class StatementPoolError extends Error {
  readonly code: StatementPoolErrorCode;
  constructor(code: StatementPoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StatementPoolError";
    this.code = code;
  }
}

export type StatementPoolOptions = {
  /** Jobs waiting beyond the running one before run() fails fast with "queue_full". Default 4. */
  maxQueue?: number;
  /** A job running longer is stopped (the worker is replaced) and fails with "timeout". Default 120 s. */
  jobTimeoutMs?: number;
};

type Job = { id: number; job: StatementJob; resolve: (v: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };
type Reply = { ready: true } | { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string; stack?: string };

/** Old-generation heap limit of the worker: 500,000 parsed lines need a few hundred MB. */
const WORKER_MAX_MEMORY_MB = 1536;

function startWorker(): Worker {
  // Inside Next's server this module is bundled, and so is the worker; from source (tsx, vitest) it is not.
  if (!insideNextServer()) {
    const entry = import.meta.url.replace(/pool\.ts$/, "worker.ts");
    const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(bootstrap, { eval: true, execArgv: [], name: "statement-work", resourceLimits: { maxOldGenerationSizeMb: WORKER_MAX_MEMORY_MB } });
  }
  // Turbopack bundles the worker only for this literal form: a URL literal and an object literal
  // of constants (with options passed in a variable, it copied worker.ts as a raw asset instead).
  return new Worker(new URL("./worker.ts", import.meta.url), { name: "statement-work", resourceLimits: { maxOldGenerationSizeMb: 1536 } });
}

class StatementPool {
  private worker: Worker | null = null;
  private running: Job | null = null;
  private ready = false;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private timedOut = false;
  private readonly maxQueue: number;
  private readonly jobTimeoutMs: number;

  constructor(options: StatementPoolOptions = {}) {
    this.maxQueue = options.maxQueue ?? 4;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
  }

  run<J extends StatementJob>(job: J): Promise<StatementJobResult<J>> {
    if (this.closed) return Promise.reject(new StatementPoolError("pool_closed", "The statement pool is closed."));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new StatementPoolError("queue_full", `${this.maxQueue} statements are waiting already.`));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new StatementPoolError("pool_closed", "The statement pool was closed."));
    await this.worker?.terminate();
  }

  private pump(): void {
    if (this.closed || this.running || this.queue.length === 0) return;
    if (!this.worker) return this.spawn();
    if (!this.ready) return;
    const job = this.queue.shift()!;
    this.running = job;
    this.worker.ref();
    job.timer = setTimeout(() => {
      this.timedOut = true;
      void this.worker?.terminate();
    }, this.jobTimeoutMs);
    this.worker.postMessage({ id: job.id, job: job.job });
  }

  private spawn(): void {
    const worker = startWorker();
    this.worker = worker;
    this.ready = false;
    let failure: Error | undefined;
    worker.on("message", (msg: Reply) => {
      if ("ready" in msg) {
        this.ready = true;
        this.pump();
        return;
      }
      const job = this.running;
      if (!job || job.id !== msg.id) return;
      this.finish();
      if (msg.ok) job.resolve(msg.result);
      else {
        const err = new StatementPoolError("failed", `Statement worker: ${msg.message}`);
        if (msg.stack) err.stack = `${err.name}: ${err.message}\n--- in the statement worker:\n${msg.stack}`;
        job.reject(err);
      }
      this.pump();
    });
    worker.on("error", (err) => {
      failure = err;
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = null;
      const job = this.running;
      this.finish();
      const why = failure?.message ?? `exit code ${code}`;
      if (job) {
        if (this.closed) job.reject(new StatementPoolError("pool_closed", "The statement pool was closed during the job."));
        else if (this.timedOut) job.reject(new StatementPoolError("timeout", `The statement job took longer than ${this.jobTimeoutMs} ms and was stopped.`));
        else job.reject(new StatementPoolError("worker_crashed", `The statement worker stopped: ${why}`, { cause: failure }));
      } else if (!this.ready && !this.closed) {
        // It never started (a missing file): fail what waits instead of respawning in a loop.
        for (const j of this.queue.splice(0)) j.reject(new StatementPoolError("worker_crashed", `The statement worker did not start: ${why}`, { cause: failure }));
      }
      this.timedOut = false;
      this.pump();
    });
  }

  private finish(): void {
    if (this.running) clearTimeout(this.running.timer);
    this.running = null;
    this.worker?.unref();
  }
}

const globalForStatements = globalThis as unknown as { __statementPool?: StatementPool };

/** The process-wide pool, created on first use. */
function pool(): StatementPool {
  globalForStatements.__statementPool ??= new StatementPool();
  return globalForStatements.__statementPool;
}

/** Runs one job in the statement worker. */
export function runStatementJob<J extends StatementJob>(job: J): Promise<StatementJobResult<J>> {
  return pool().run(job);
}

/** Stops the process-wide pool (scripts, tests); the next job starts a new one. */
export async function closeStatementPool(): Promise<void> {
  const p = globalForStatements.__statementPool;
  globalForStatements.__statementPool = undefined;
  await p?.close();
}
