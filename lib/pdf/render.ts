// Renders quotation, invoice, credit-note and statement-of-account PDFs in a small pool of worker
// threads. react-pdf is CPU-bound and synchronous in long stretches (a 400-line document takes
// seconds), so rendering on the request thread would stall every other request of the process for
// that long.
//
// The worker entry is plain ESM at <root>/lib/pdf/worker.mjs, located from process.cwd(): a path
// derived from import.meta.url would point into .next/ once Turbopack has bundled this module.
// `next start` runs in the project root and standalone's server.js changes into its own folder, to
// which next.config.ts copies lib/pdf/*.mjs and the font files (outputFileTracingIncludes).
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { toRenderModel, type PdfRenderModel } from "./model";
import { toStatementRenderModel, type StatementRenderModel } from "./statement-model";
import { toDeliveryNoteRenderModel, type DeliveryNoteData, type DeliveryNoteRenderModel } from "./delivery-note-model";
import type { PdfDocumentData, StatementData } from "./types";

export type PdfPoolOptions = {
  /** Worker threads. Default: max(1, min(2, availableParallelism - 1)). */
  size?: number;
  /** Jobs waiting for a worker beyond which render() fails fast with code "queue_full". Default 100. */
  maxQueue?: number;
  /** A render running longer is stopped (its worker is replaced) and fails with code "timeout". Default 120 s. */
  jobTimeoutMs?: number;
  /** A worker not ready this long after starting (loading react-pdf and the fonts) counts as failed to start. Default 60 s. */
  startTimeoutMs?: number;
  /** Old-generation heap limit per worker; a render that exceeds it fails, the server does not. Default 1024. */
  maxMemoryMb?: number;
  /** Folder holding lib/pdf/*.mjs and node_modules/@fontsource/inter. Default process.cwd(). */
  root?: string;
  /** Worker entry. Default <root>/lib/pdf/worker.mjs. */
  workerFile?: string;
  /** Folder of the Inter .woff files. Default <root>/node_modules/@fontsource/inter/files. */
  fontDir?: string;
};

export type PdfRenderErrorCode = "render_failed" | "worker_crashed" | "worker_start_failed" | "timeout" | "queue_full" | "pool_closed";

/** A render failed in or because of the pool. Bad document data fails earlier, with PdfDataError. */
export class PdfRenderError extends Error {
  readonly code: PdfRenderErrorCode;
  constructor(code: PdfRenderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PdfRenderError";
    this.code = code;
  }
}

/** Any model the worker can lay out: a document (quotation, invoice, credit note) or a statement. */
export type PdfRenderable = PdfRenderModel | StatementRenderModel | DeliveryNoteRenderModel;

export type PdfPoolStats = { size: number; workers: number; ready: number; busy: number; queued: number };

export interface PdfPool {
  /** Validates and formats the data (throws PdfDataError), then renders it in a worker. */
  render(data: PdfDocumentData): Promise<Buffer>;
  /** Renders an already built model. */
  renderModel(model: PdfRenderable): Promise<Buffer>;
  /** Starts all workers and waits until they are ready (fonts loaded), e.g. at server start. */
  warm(): Promise<void>;
  stats(): PdfPoolStats;
  /** Rejects queued and running jobs with "pool_closed" and stops the workers. */
  close(): Promise<void>;
}

export function defaultPdfPoolSize(parallelism = os.availableParallelism()): number {
  return Math.max(1, Math.min(2, parallelism - 1));
}

type Job = {
  id: number;
  model: PdfRenderable;
  resolve: (pdf: Buffer) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
};

type Slot = {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timedOut: boolean;
  startTimedOut: boolean;
  /** The error a worker died of ('error' precedes 'exit'). */
  error?: Error;
  startTimer: NodeJS.Timeout;
  readyPromise: Promise<void>;
  markReady: () => void;
  failStart: (err: Error) => void;
};

type WorkerMessage =
  | { type: "ready" }
  | { type: "done"; id: number; pdf: Uint8Array }
  | { type: "error"; id: number; message: string; stack?: string };

class WorkerPdfPool implements PdfPool {
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly jobTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly workerFile: string;
  private readonly fontDir: string;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Set while workers fail to start (missing file, missing font): no respawn loop until one starts. */
  private startError: Error | undefined;

  constructor(options: PdfPoolOptions) {
    const root = options.root ?? process.cwd();
    this.size = options.size ?? defaultPdfPoolSize();
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`PDF pool size must be a positive integer, got ${this.size}`);
    this.maxQueue = options.maxQueue ?? 100;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 1024;
    this.workerFile = options.workerFile ?? path.join(/* turbopackIgnore: true */ root, "lib", "pdf", "worker.mjs");
    this.fontDir = options.fontDir ?? path.join(/* turbopackIgnore: true */ root, "node_modules", "@fontsource", "inter", "files");
  }

  async render(data: PdfDocumentData): Promise<Buffer> {
    return this.renderModel(toRenderModel(data));
  }

  renderModel(model: PdfRenderable): Promise<Buffer> {
    if (this.closed) return Promise.reject(new PdfRenderError("pool_closed", "PDF pool is closed"));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new PdfRenderError("queue_full", `PDF pool queue is full (${this.maxQueue} jobs waiting)`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, model, resolve, reject });
      this.pump();
    });
  }

  async warm(): Promise<void> {
    if (this.closed) return;
    this.startError = undefined;
    while (this.slots.size < this.size) this.spawn();
    await Promise.all([...this.slots].map((s) => s.readyPromise));
  }

  stats(): PdfPoolStats {
    const slots = [...this.slots];
    return {
      size: this.size,
      workers: slots.length,
      ready: slots.filter((s) => s.ready).length,
      busy: slots.filter((s) => s.job).length,
      queued: this.queue.length,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectQueued(new PdfRenderError("pool_closed", "PDF pool closed"));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  /** Hands queued jobs to idle workers and starts workers while jobs wait. */
  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.ready && !slot.job) this.dispatch(slot, this.queue.shift()!);
    }
    const starting = [...this.slots].filter((s) => !s.ready).length;
    const canStart = this.startError === undefined || this.slots.size === 0;
    if (canStart && this.queue.length > starting && this.slots.size < this.size) {
      this.startError = undefined;
      for (let n = Math.min(this.size - this.slots.size, this.queue.length - starting); n > 0; n--) this.spawn();
    }
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    job.timer = setTimeout(() => {
      slot.timedOut = true;
      void slot.worker.terminate();
    }, this.jobTimeoutMs);
    slot.worker.postMessage({ type: "render", id: job.id, model: job.model });
  }

  private finish(slot: Slot): Job | null {
    const job = slot.job;
    if (job) clearTimeout(job.timer);
    slot.job = null;
    // An idle worker must not keep a script's process alive.
    slot.worker.unref();
    return job;
  }

  private spawn(): void {
    const worker = new Worker(this.workerFile, {
      workerData: { fontDir: this.fontDir },
      // Not the parent's flags: tsx's loader or `--conditions=react-server` would change which
      // React build @react-pdf/renderer gets.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb },
      name: "pdf-render",
    });
    let markReady!: () => void;
    let failStart!: (err: Error) => void;
    const readyPromise = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    readyPromise.catch(() => {}); // observed through warm() or the rejected jobs
    // A worker that hangs while loading would hold the queued jobs forever.
    const startTimer = setTimeout(() => {
      slot.startTimedOut = true;
      void worker.terminate();
    }, this.startTimeoutMs);
    const slot: Slot = { worker, ready: false, job: null, timedOut: false, startTimedOut: false, startTimer, readyPromise, markReady, failStart };
    this.slots.add(slot);

    worker.on("message", (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on("error", (err) => {
      slot.error = err;
    });
    worker.on("exit", (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if (msg.type === "ready") {
      slot.ready = true;
      clearTimeout(slot.startTimer);
      this.startError = undefined;
      slot.markReady();
      this.finish(slot);
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== msg.id) return;
    this.finish(slot);
    if (msg.type === "done") {
      job.resolve(Buffer.from(msg.pdf.buffer, msg.pdf.byteOffset, msg.pdf.byteLength));
    } else {
      const err = new PdfRenderError("render_failed", `PDF render failed: ${msg.message}`);
      if (msg.stack) err.stack = `${err.name}: ${err.message}\n--- in the PDF worker:\n${msg.stack}`;
      job.reject(err);
    }
    this.pump();
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    clearTimeout(slot.startTimer);
    const job = slot.job;
    if (job) clearTimeout(job.timer);
    const cause = slot.error;
    const why = cause ? cause.message : slot.startTimedOut ? `not ready within ${this.startTimeoutMs} ms` : `exit code ${code}`;

    if (!slot.ready) {
      const err = new PdfRenderError("worker_start_failed", `PDF worker ${this.workerFile} failed to start: ${why}`, { cause });
      slot.failStart(err);
      if (this.closed) return;
      this.startError = err;
      // Without a working worker nobody would take the queued jobs: fail them now rather than hang.
      if (![...this.slots].some((s) => s.ready)) this.rejectQueued(err);
      this.pump();
      return;
    }
    if (job) {
      if (this.closed) job.reject(new PdfRenderError("pool_closed", "PDF pool closed during the render"));
      else if (slot.timedOut) job.reject(new PdfRenderError("timeout", `PDF render took longer than ${this.jobTimeoutMs} ms and was stopped`));
      else job.reject(new PdfRenderError("worker_crashed", `PDF worker crashed during the render: ${why}`, { cause }));
    }
    if (this.closed) return;
    // Replace the worker at once, so the pool stays at full strength for the next jobs.
    this.spawn();
    this.pump();
  }

  private rejectQueued(err: Error): void {
    for (const job of this.queue.splice(0)) job.reject(err);
  }
}

export function createPdfPool(options: PdfPoolOptions = {}): PdfPool {
  return new WorkerPdfPool(options);
}

/**
 * Never called. The worker imports @react-pdf/renderer out of the bundler's sight; this reference
 * makes Next's file tracing copy the package and its dependencies into standalone output. (Not
 * rendered on this thread: under the react-server condition `react` resolves to a build that
 * react-pdf's reconciler cannot use, which is one more reason it runs in workers started with
 * clean execArgv.)
 */
export const tracedForStandalone = () => import("@react-pdf/renderer");

// One default pool per process, on globalThis so dev-mode module reloads don't start another.
const globalForPdf = globalThis as unknown as { __pdfPool?: PdfPool };

/** The process-wide pool, created on first use; `options` apply only to that first call. */
export function getPdfPool(options?: PdfPoolOptions): PdfPool {
  globalForPdf.__pdfPool ??= createPdfPool(options);
  return globalForPdf.__pdfPool;
}

/** Renders a quotation, invoice or credit note to PDF bytes in the default pool. */
export function renderPdf(data: PdfDocumentData): Promise<Buffer> {
  return getPdfPool().render(data);
}

/** Renders a statement of account to PDF bytes in the default pool (throws PdfDataError on bad data first). */
export function renderStatementPdf(data: StatementData): Promise<Buffer> {
  return getPdfPool().renderModel(toStatementRenderModel(data));
}

/** Renders a delivery note to PDF bytes in the default pool (throws PdfDataError on bad data first). */
export function renderDeliveryNotePdf(data: DeliveryNoteData): Promise<Buffer> {
  return getPdfPool().renderModel(toDeliveryNoteRenderModel(data));
}

/** Stops the default pool (tests, graceful shutdown); the next renderPdf() starts a new one. */
export async function closePdfPool(): Promise<void> {
  const pool = globalForPdf.__pdfPool;
  globalForPdf.__pdfPool = undefined;
  await pool?.close();
}
