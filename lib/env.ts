import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The one place that reads process.env. Everything is parsed once, on first use, so a
// misconfiguration fails at start-up with a message that names the variable.

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// URL" }).optional(),
  /** The role that owns the schema and runs migrations (least privilege: DATABASE_URL is then the app's own role). */
  DATABASE_OWNER_URL: z.url({ message: "DATABASE_OWNER_URL must be a postgres:// URL" }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  PGLITE_DIR: z.string().min(1).optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(8 * 60 * 60),
  /** The app's public URL (next-auth reads it too); an https:// URL makes the session cookies Secure. */
  AUTH_URL: z.url({ message: "AUTH_URL must be the app's public URL, e.g. https://orders.example.com" }).optional(),
  DEFAULT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, "DEFAULT_CURRENCY must be an ISO 4217 code such as EUR")
    .default("EUR"),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  SEED_DEMO_DATA: bool.optional(),
  DEMO_PASSWORD: z.string().min(12).default("demo-Passw0rd-2026"),
  // How many reverse proxies in front append to X-Forwarded-For (lib/http/client-ip.ts). "false"
  // still means 0; "true" is refused: it used to mean "take the first entry", which a client sets.
  TRUST_PROXY: z
    .string()
    .default("0")
    .refine((v) => v !== "true" && v !== "yes", {
      message: 'no longer "true": give the number of trusted proxies in front of the app (1 for one reverse proxy or a Vercel-style host; 0 reads the socket)',
    })
    .transform((v) => (v === "false" || v === "no" ? "0" : v))
    .pipe(z.coerce.number<string>({ message: "TRUST_PROXY must be a number of proxies" }).int("TRUST_PROXY must be a whole number of proxies").min(0).max(20)),
  // Set by server.mjs in its own process (never configure it): the peer header it sets can be trusted.
  ORDERLY_SOCKET_PEER_HEADER: z.literal("1").optional(),
  // API rate limits (lib/api-v1/rate-limit.ts, GCRA in PostgreSQL): requests per minute and the burst
  // allowed at once, per key (a key may have its own) and per client IP (whatever the key).
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(10_000).default(60),
  API_IP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  API_IP_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(120),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Shared secret of the signed test payment provider (webhooks); unset disables that provider. */
  PAYMENT_TEST_PROVIDER_SECRET: z.string().min(16).optional(),
  /** npm run user:create: the new user's password (else it is asked for at a prompt). */
  USER_PASSWORD: z.string().optional(),
  // The seller, as printed on quotations and invoices.
  SELLER_NAME: z.string().min(1).default("Orderly Demo Supplies GmbH"),
  SELLER_ADDRESS: z.string().default("Industriestraße 5\n70565 Stuttgart\nGermany"),
  SELLER_TAX_ID: z.string().default("DE123456789"),
  SELLER_EMAIL: z.string().default("orders@orderly.example"),
  SELLER_BANK_NAME: z.string().default("Demo Bank AG"),
  SELLER_IBAN: z.string().default("DE89370400440532013000"),
  SELLER_BIC: z.string().default("COBADEFFXXX"),
  SELLER_TIME_ZONE: z.string().default("Europe/Berlin"),
  // Orders at or above this total (minor units of the company's currency) also need finance approval.
  FINANCE_APPROVAL_THRESHOLD_MINOR: z.coerce.bigint().min(0n).default(1_000_000n),
  /** Run the job worker (outbox relay, webhook deliveries, scheduled jobs) inside the app server; false when `npm run jobs -- --worker` runs it. */
  JOBS_IN_PROCESS: bool.default(true),
  /** How often the worker looks for jobs whose worker died (pg-boss supervise): a killed delivery is retried this long after it expires. */
  JOBS_SUPERVISE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Webhook endpoints must be https://; this also allows http://localhost and 127.0.0.1 (tests, development). */
  WEBHOOK_ALLOW_HTTP_LOCALHOST: bool.default(false),
  /** How long one webhook delivery may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** The first retry's delay; later ones double (with jitter) up to 6 hours (lib/domain/webhook-events.ts). */
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Deliveries may connect to private networks (10/8, 172.16/12, 192.168/16, unique local, link-local
   * incl. the cloud metadata address 169.254.169.254, CGNAT): the address a host resolves to is checked
   * when the worker connects (SSRF, DNS rebinding). Off by default everywhere, whatever NODE_ENV says:
   * turn it on only when receivers really live on an internal network. Loopback (127.0.0.0/8, ::1) is
   * allowed exactly when WEBHOOK_ALLOW_HTTP_LOCALHOST is (tests, development: a receiver on this machine).
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  /**
   * At most this many keep-alive connections per receiving origin (unset: as many as deliveries in
   * flight, which never makes a delivery wait for a connection; a delivery's time waiting for one
   * would count against WEBHOOK_TIMEOUT_MS and could fail a slow but healthy receiver).
   */
  WEBHOOK_CONNECTIONS_PER_ORIGIN: z.coerce.number().int().min(1).max(1024).optional(),
  /** `npm run bench -- api` only: serves the raw-SQL baseline routes under /api/bench (404 otherwise). Never set it in production. */
  BENCH_ROUTES: bool.default(false),
  // Notifications (issue 13). The public base URL mails link to (absolute links); default: AUTH_URL, else http://localhost:PORT.
  APP_URL: z.url({ message: "APP_URL must be the app's public URL, e.g. https://orders.example.com" }).optional(),
  /** Outgoing mail server, e.g. smtp://user:pass@smtp.example.com:587 or smtps://…:465; unset: the local mailbox (if enabled). */
  SMTP_URL: z.url({ message: "SMTP_URL must be an smtp:// or smtps:// URL" }).refine((v) => /^smtps?:\/\//.test(v), "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
  /** The From: of notification mails; default: SELLER_NAME <SELLER_EMAIL>. */
  MAIL_FROM: z.string().min(3).optional(),
  /** Without SMTP_URL, keep mails in the local mailbox (staff open it under Sent mail). Default: on, except in production with DATABASE_URL. */
  MAIL_LOCAL_MAILBOX: bool.optional(),
  /** The first retry's delay of a mail the SMTP server did not take; later ones double (with jitter) up to 6 hours. */
  MAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  QUOTATION_TERMS: z
    .string()
    .default("Prices in the stated currency, excluding carriage unless stated. Delivery subject to availability at acceptance. Payment within the agreed terms by bank transfer, quoting the payment reference (RF…) given on the invoice."),
});

export type Env = z.infer<typeof envSchema> & {
  /** Where PGlite keeps its files; "memory://" for a throwaway in-memory database. */
  pgliteDir: string;
  /** The secret next-auth signs session tokens with (given, or generated under .data/). */
  authSecret: string;
  /** Demo users may be created (dev/embedded always; production only when asked for). */
  seedDemoAllowed: boolean;
  /**
   * next-auth's useSecureCookies: true behind an https AUTH_URL (`__Secure-`/`__Host-` cookie names,
   * Secure flag), false for an http one; undefined without AUTH_URL, where next-auth decides per
   * request from its protocol (X-Forwarded-Proto).
   */
  secureCookies: boolean | undefined;
  /** Our own server (server.mjs) is in front and sets the socket peer header. */
  socketPeerHeader: boolean;
  /** The public base URL, without a trailing slash (APP_URL, else AUTH_URL, else http://localhost:PORT). */
  appUrl: string;
  /** Mails without SMTP_URL are kept in the local mailbox (else they fail: nothing would deliver them). */
  localMailbox: boolean;
  /** The From: address of notification mails. */
  mailFrom: string;
};

let cached: Env | undefined;

export function dataDir(): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), ".data");
}

function loadOrCreateSecret(): string {
  const dir = dataDir();
  const file = path.join(dir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function env(): Env {
  cached ??= parseEnv(process.env, loadOrCreateSecret);
  return cached;
}

/** Pure parsing of a set of variables; `makeSecret` supplies the secret when none is configured. */
export function parseEnv(source: Record<string, string | undefined>, makeSecret: () => string): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example.`);
  }
  const e = parsed.data;
  if (e.DATABASE_OWNER_URL && !e.DATABASE_URL) {
    throw new Error("Invalid configuration:\n  - DATABASE_OWNER_URL: set DATABASE_URL (the app role's URL) as well, or neither for embedded PGlite.");
  }
  // Hosts may differ (a provider's pooled endpoint for the app, the direct one for migrations); the database may not,
  // or the grants would land in a database the app does not use.
  if (e.DATABASE_OWNER_URL && e.DATABASE_URL && new URL(e.DATABASE_OWNER_URL).pathname !== new URL(e.DATABASE_URL).pathname) {
    throw new Error("Invalid configuration:\n  - DATABASE_OWNER_URL: must name the same database as DATABASE_URL (only the role, and perhaps the host, differ).");
  }
  const productionServer = e.NODE_ENV === "production" && e.DATABASE_URL !== undefined;
  if (productionServer && !e.AUTH_SECRET) {
    throw new Error(
      "Invalid configuration:\n  - AUTH_SECRET: required in production with DATABASE_URL (generate one with `openssl rand -base64 32`).",
    );
  }
  return {
    ...e,
    pgliteDir: e.PGLITE_DIR ?? path.join(dataDir(), "pglite"),
    authSecret: e.AUTH_SECRET ?? makeSecret(),
    seedDemoAllowed: productionServer ? e.SEED_DEMO_DATA === true : e.SEED_DEMO_DATA !== false,
    secureCookies: e.AUTH_URL === undefined ? undefined : new URL(e.AUTH_URL).protocol === "https:",
    socketPeerHeader: e.ORDERLY_SOCKET_PEER_HEADER === "1",
    appUrl: (e.APP_URL ?? e.AUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    localMailbox: e.MAIL_LOCAL_MAILBOX ?? !productionServer,
    mailFrom: e.MAIL_FROM ?? `"${e.SELLER_NAME.replace(/["\\]/g, "")}" <${e.SELLER_EMAIL}>`,
  };
}

/**
 * Whether this code runs inside Next's server (bundled), not from source under tsx or vitest. Next
 * sets NEXT_RUNTIME there and only there, and replaces this literal expression when it bundles, so
 * it is read here directly rather than through env()'s parsed copy.
 */
export function insideNextServer(): boolean {
  return Boolean(process.env.NEXT_RUNTIME);
}

/** Whether Next runs this code to build (page data collection), not to serve: no worker then. */
export function insideNextBuild(): boolean {
  return process.env.NEXT_PHASE === "phase-production-build";
}
