// The webhooks bench's receiver, in a process of its own (forked by lib/bench/webhooks-worker.ts): a
// receiver never shares the worker's process, and in one process the bench charged the worker with
// the receiver's CPU too (parsing and answering each POST). Answers 204 to every POST; tells the
// parent its port, then, once `expected` distinct webhook-ids have arrived, the counts (with the
// connections the worker opened: a keep-alive agent opens few).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const expected = Number(process.argv[2]);
const seen = new Set<string>();
let requests = 0;
let connections = 0;
let done = false;
const server = createServer((req, res) => {
  requests++;
  req.resume();
  req.on("end", () => {
    seen.add(String(req.headers["webhook-id"]));
    res.writeHead(204).end();
    if (!done && seen.size >= expected) {
      done = true;
      process.send!({ done: true, requests, distinct: seen.size, connections });
    }
  });
});
server.on("connection", () => connections++);
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on("message", (m: { report?: boolean }) => {
  if (m.report) process.send!({ report: true, requests, distinct: seen.size, connections });
});
process.on("disconnect", () => process.exit(0));
