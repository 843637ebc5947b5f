import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { expect, test, type Browser } from "@playwright/test";
import type postgres from "postgres";
import { e2eDatabase, e2eDatabaseUrl } from "./db";
import { gotoHydrated } from "./fixtures";

// The client IP in login throttling and audit rows comes from the socket (server.mjs passes it to
// the app), never from headers the client sends; with TRUST_PROXY=N it is the entry N from the
// right of [...X-Forwarded-For, socket]. A failed sign-in records the IP it was counted under.

const LOOPBACK = ["127.0.0.1", "::1"];

/** Fails a sign-in for a fresh email through the real login form, with the given extra headers. */
async function failSignIn(browser: Browser, baseURL: string, headers: Record<string, string>): Promise<string> {
  const email = `ip-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@nowhere.test`;
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: headers, storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    await gotoHydrated(page, "/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  } finally {
    await context.close();
  }
  return email;
}

/** The IPs recorded for `email`: its login attempt and its auth.login_failed audit row. */
async function recordedIps(sql: postgres.Sql, email: string): Promise<{ attempt: string | null; audit: string | null }> {
  const [attempt] = await sql<{ ip: string }[]>`select ip from login_attempts where email = ${email}`;
  const [audit] = await sql<{ ip: string | null }[]>`select ip from audit_events where action = 'auth.login_failed' and diff->'after'->>'email' = ${email}`;
  return { attempt: attempt?.ip ?? null, audit: audit?.ip ?? null };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test.describe("client IP", () => {
  let sql: postgres.Sql;

  test.beforeAll(async () => {
    const db = await e2eDatabase(1);
    test.skip(db === null, "the e2e database is not reachable over PostgreSQL (PGlite run?)");
    sql = db!;
  });
  test.afterAll(async () => {
    await sql?.end({ timeout: 1 }).catch(() => {});
  });

  test("without TRUST_PROXY a spoofed X-Forwarded-For or peer header is ignored: the socket address is recorded", async ({ browser, baseURL }) => {
    const plain = await recordedIps(sql, await failSignIn(browser, baseURL!, {}));
    expect(LOOPBACK).toContain(plain.attempt);
    expect(plain.audit).toBe(plain.attempt);

    const spoofed = await recordedIps(sql, await failSignIn(browser, baseURL!, { "X-Forwarded-For": "1.1.1.1, 2.2.2.2", "X-Orderly-Peer": "6.6.6.6" }));
    expect(spoofed).toEqual(plain);
  });

  test("with TRUST_PROXY=1 the right-most X-Forwarded-For entry is the client", async ({ browser }) => {
    test.slow(); // starts a second server on the same build and database
    const port = await freePort();
    const server: ChildProcess = spawn(process.execPath, ["server.mjs"], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        DATABASE_URL: e2eDatabaseUrl(),
        AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456",
        BCRYPT_COST: "8",
        TRUST_PROXY: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const baseURL = `http://localhost:${port}`;
      await expect(async () => expect((await fetch(`${baseURL}/api/health`)).status).toBe(200)).toPass({ timeout: 60_000 });

      // A proxy appended 203.0.113.9 (the client it saw) to the 1.1.1.1 the client had sent.
      const behindProxy = await recordedIps(sql, await failSignIn(browser, baseURL, { "X-Forwarded-For": "1.1.1.1, 203.0.113.9", "X-Orderly-Peer": "6.6.6.6" }));
      expect(behindProxy).toEqual({ attempt: "203.0.113.9", audit: "203.0.113.9" });

      // No X-Forwarded-For at all (the request bypassed the proxy): the socket address, not nothing.
      const direct = await recordedIps(sql, await failSignIn(browser, baseURL, {}));
      expect(LOOPBACK).toContain(direct.attempt);
    } finally {
      server.kill("SIGTERM");
    }
  });
});
