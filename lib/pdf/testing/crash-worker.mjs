// Test double for render.test.ts: the real PDF worker, except that a job for document number
// "CRASH" ends the thread mid-job, as an out-of-memory kill or a native fault would.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", (msg) => {
  if (msg?.type === "render" && msg.model?.number === "CRASH") process.exit(3);
});
await import("../worker.mjs");
