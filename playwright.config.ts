import { defineConfig, devices } from "@playwright/test";

// e2e drives a production build (`next build` runs first, see `npm run test:e2e`) in Debian's
// Chromium against a fresh database made by e2e/serve.ts and dropped by e2e/global-teardown.ts.
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;
// A second app instance on the same database (e2e/serve.ts): standalone's server.js when the build is standalone.
export const secondURL = `http://localhost:${port + 1}`;
// Fixed once in the main process; workers inherit it through the environment.
process.env.E2E_DB_NAME ??= `b2b_e2e_${Date.now()}`;

/** What the phone project emulates. */
const phone = {
  browserName: "chromium",
  viewport: { width: 375, height: 812 },
  screen: { width: 375, height: 812 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
} as const;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // Every wait is for the element, URL or response that proves the state, so these are upper
  // bounds that cost nothing when the app is fast. They are sized for a busy CI machine: with the
  // load average at 25-35 on two cores, a server action's redirect took over 10 s to render, and
  // the longest journey (order → quotation → approval → shipment) over two minutes. Long journeys
  // call test.slow() (three times `timeout`) instead of each picking a number.
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"], testIgnore: [/auth\.setup\.ts/, /dashboards\.spec\.ts/, /phone\.spec\.ts/] },
    // A 375 px phone (an iPhone 13 mini's width; devices["iPhone 13"] is WebKit, which cannot be
    // installed here) in Chromium with touch and the mobile viewport: the buyer journey and the
    // staff menu only, so CI pays for one extra spec.
    { name: "phone", use: phone, dependencies: ["setup"], testMatch: /phone\.spec\.ts/ },
    // The dashboards' figures are platform-wide, and the chromium project's two workers move them
    // while a test runs. This project starts after every chromium test has finished (a dependency
    // runs in full, whatever the command line filters) and runs serially, so the spec can assert
    // exact before/after deltas. To run it alone while working on it:
    //   E2E_DASHBOARDS_ALONE=1 npx playwright test --project dashboards
    // which keeps the setup project (the saved sign-ins) and drops the wait for chromium; the
    // figures are still exact then, as nothing else runs.
    {
      name: "dashboards",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      testMatch: /dashboards\.spec\.ts/,
      // After the phone project too: its journey places and approves orders, which moves the figures.
      dependencies: process.env.E2E_DASHBOARDS_ALONE === "1" ? ["setup"] : ["chromium", "phone"],
    },
  ],
  webServer: {
    command: `npx tsx --conditions=react-server e2e/serve.ts`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      E2E_SECOND_PORT: String(port + 1),
      E2E_DB_NAME: process.env.E2E_DB_NAME,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456",
      BCRYPT_COST: "8",
      // Enables the signed test payment provider, so e2e can reach the webhook route.
      PAYMENT_TEST_PROVIDER_SECRET: "e2e-provider-secret-0123456789",
      // No SMTP_URL: mails stay in the local mailbox (Sent mail), which a production server with
      // DATABASE_URL keeps off unless enabled. APP_URL as a deployment of several instances sets it:
      // the links in mails lead to the one public address, whichever instance's worker wrote them.
      MAIL_LOCAL_MAILBOX: "true",
      APP_URL: baseURL,
    },
  },
});
