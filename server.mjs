// The production HTTP server: `npm start`, e2e (e2e/serve.ts) and the Docker image run this file
// instead of `next start` / the standalone `server.js`. It exists for one reason: route handlers
// cannot see the TCP peer's address, and X-Forwarded-For is whatever the client sent (Next sets
// it from the socket only when it is absent). So before Next sees a request, this server deletes
// any client copy of the peer header and sets it to the socket address; lib/request-context.ts
// reads it (and X-Forwarded-For only as far as TRUST_PROXY allows).
//
// It uses Next's documented custom-server API (`next()` + getRequestHandler), which serves through
// the same router as `next start`. Plain JavaScript, because the Docker image runs it with bare
// node from the standalone folder. Like Next's own server.js it reads PORT, HOSTNAME and
// KEEP_ALIVE_TIMEOUT itself (the app's configuration is still parsed by lib/env.ts).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PEER_HEADER = "x-orderly-peer"; // lib/http/client-ip.ts PEER_HEADER

const dir = path.dirname(fileURLToPath(import.meta.url));
process.chdir(dir);
process.env.NODE_ENV = "production";
// Tells lib/env.ts the peer header comes from here; set before Next (and the app) load.
process.env.ORDERLY_SOCKET_PEER_HEADER = "1";

// In the standalone output (Docker) there is no next.config.ts: like the generated server.js, hand
// Next the configuration it serialised at build time. __NEXT_PRIVATE_STANDALONE_CONFIG is Next's
// private name (what its generated server.js sets, Next 16.4): the Docker smoke test (issue 10)
// and a run of this file from .next/standalone catch a rename. Checked 2026-12-04: health, nonce
// CSP, sign-in and the socket IP (127.0.0.1 despite a spoofed X-Forwarded-For) from the standalone folder.
const standalone = existsSync(path.join(dir, "server.js")) && !existsSync(path.join(dir, "next.config.ts"));
if (standalone) {
  const { config } = JSON.parse(readFileSync(path.join(dir, ".next", "required-server-files.json"), "utf8"));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}

const port = Number.parseInt(process.env.PORT ?? "", 10) || 3000;
// Standalone (Docker) honours HOSTNAME like Next's server.js; otherwise every interface, like `next start`.
const hostname = standalone ? process.env.HOSTNAME || "0.0.0.0" : undefined;
const keepAliveTimeout = Number.parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? "", 10);

const { default: next } = await import("next");
const server = createServer();
const app = next({ dev: false, dir, port, hostname: hostname ?? "localhost", httpServer: server });
const handle = app.getRequestHandler();
await app.prepare();

server.on("request", (req, res) => {
  // Node lower-cases header names, so this removes every client spelling of it.
  delete req.headers[PEER_HEADER];
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
if (keepAliveTimeout >= 0) server.keepAliveTimeout = keepAliveTimeout;
server.listen(port, hostname, () => {
  console.log(`> Ready on http://${hostname && hostname !== "0.0.0.0" ? hostname : "localhost"}:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
