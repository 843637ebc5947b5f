import postgres from "postgres";

// The e2e run's own database (made by e2e/serve.ts), for specs that check invariants in SQL. They
// connect as TEST_DATABASE_URL's role (the owner, a superuser locally), not as the app's role: set-up
// and tamper steps do what the app may not.

/** The e2e database's URL, as TEST_DATABASE_URL's role. */
export function e2eDatabaseUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${process.env.E2E_DB_NAME}`;
  return url.toString();
}

/** A connection to the e2e database, or null when the run is on PGlite (no PostgreSQL reachable). */
export async function e2eDatabase(max = 2): Promise<postgres.Sql | null> {
  const sql = postgres(e2eDatabaseUrl(), { max, onnotice: () => {}, connect_timeout: 3 });
  try {
    await sql`select 1`;
    return sql;
  } catch {
    await sql.end({ timeout: 1 }).catch(() => {});
    return null;
  }
}

/** Waits until `url`/api/health answers 200 (the second instance starts beside the first). */
export async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs} ms (${last})`);
}
