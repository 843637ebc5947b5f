// Worker-thread entry of the PDF pool (lib/pdf/render.ts). Plain ESM so Node loads it as is in every
// runtime: vitest and tsx (source tree), `next start`, and standalone output (copied there through
// outputFileTracingIncludes in next.config.ts). Renders one job at a time; the pool sends the next
// job only after the answer to the previous one.
import { parentPort, workerData } from "node:worker_threads";
import { renderModelToBuffer } from "./document.mjs";

if (!parentPort) throw new Error("lib/pdf/worker.mjs is a worker-thread entry; use renderPdf() from lib/pdf/render.ts");
const port = parentPort;
/** @type {{ fontDir: string }} */
const { fontDir } = workerData;

/** @type {import("./model").PdfRenderModel} */
const warmUpModel = {
  kind: "invoice",
  title: "Warm-up",
  number: "0",
  info: { title: "Warm-up", author: "", subject: "" },
  meta: [],
  seller: { name: "Warm-up", lines: [] },
  customerHeading: "Bill to",
  customer: { name: "Warm-up", lines: ["Łódź €"] },
  showDiscount: false,
  lines: [{ lineNo: "1", sku: "A", name: "Warm-up", quantity: "1", unitPrice: "€1.00", discount: "", taxRate: "19%", net: "€1.00" }],
  subtotal: { label: "Subtotal", value: "€1.00" },
  taxRows: [],
  total: { label: "Total", value: "€1.00" },
  notes: [],
  payment: [],
  terms: "",
  roundingNote: "",
  footer: "",
};

/** The PDF as a Uint8Array that owns its whole ArrayBuffer, so it can be transferred without a copy. */
function transferable(buf) {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) return new Uint8Array(buf.buffer);
  return new Uint8Array(buf);
}

port.on("message", async (msg) => {
  if (msg?.type !== "render") return;
  try {
    const pdf = transferable(await renderModelToBuffer(msg.model, { fontDir }));
    port.postMessage({ type: "done", id: msg.id, pdf }, [pdf.buffer]);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ type: "error", id: msg.id, message: e.message, stack: e.stack });
  }
});

// Loads the fonts and warms the layout code before taking jobs, so a missing font file fails the
// worker at start (the pool reports it) instead of the first customer's download.
await renderModelToBuffer(warmUpModel, { fontDir });
port.postMessage({ type: "ready" });
