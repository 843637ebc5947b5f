// Worker-thread entry of the statement pool (lib/statements/pool.ts): parses statements and plans
// matching, one job at a time, off the request thread. Relative imports only: in tests and scripts
// this file is loaded from source through tsx; in a Next build Turbopack bundles it.
import { parentPort } from "node:worker_threads";
import { parseStatementForImport, planRematch } from "../domain/statement-work";
import type { StatementJob } from "./jobs";

if (!parentPort) throw new Error("lib/statements/worker.ts is a worker-thread entry; use lib/statements/pool.ts");
const port = parentPort;

function run(job: StatementJob): unknown {
  switch (job.kind) {
    case "parse":
      return parseStatementForImport(job.content, job.format, job.mapping);
    case "rematch":
      return planRematch(job.lineChunks, job.invoices);
  }
}

port.on("message", (msg: { id: number; job: StatementJob }) => {
  try {
    port.postMessage({ id: msg.id, ok: true, result: run(msg.job) });
  } catch (err) {
    port.postMessage({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
  }
});
port.postMessage({ ready: true });
