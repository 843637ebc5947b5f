import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ACTORS, actionManifest, callAction, createWorld, digestDiff, actionPage, resultCode, resultOk, worldDigest, type ActorKey, type Sql, type World } from "./probe-kit";
import { e2eDatabase } from "./db";
import { actions, pages, routes } from "./surface";

// The authorization matrix: every page, route handler and server action of e2e/surface.ts × the 7
// actors, against the production build, with the owner company's real ids. A refused actor gets a
// 404 for pages (a redirect to /login when anonymous, to their own side's home from the other
// side: proxy.ts), 401/403/404 JSON from the API, and a refusal from the action itself, and nothing
// of the world is written (e2e/probe-kit.ts worldDigest).

function walk(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p, name));
    else if (entry.name === name) out.push(p);
  }
  return out.sort();
}

test.describe("the surface table", () => {
  test("lists every page, route handler and server action of the app and the build, and nothing else", () => {
    const pageFiles = walk("app", "page.tsx");
    expect(pages.map((p) => p.file).sort()).toEqual(pageFiles);
    // Every route handler, wherever it lives (the API, and /images for product images).
    const routeFiles = walk("app", "route.ts");
    expect([...new Set(routes.map((r) => r.file))].sort()).toEqual(routeFiles);
    // Exported actions in the sources (actions.ts files) and every action the build knows (inline ones too).
    const sourceActions = walk("app", "actions.ts").flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/^export\s+(?:async\s+)?function\s+(\w+)|^export\s+const\s+(\w+)/gm)].map((m) => `${file}#${m[1] ?? m[2]}`),
    );
    const listed = actions.map((a) => a.ref);
    expect(listed.filter((r) => r.includes("/actions.ts#")).sort()).toEqual(sourceActions.sort());
    expect(listed.slice().sort()).toEqual([...actionManifest().keys()].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });
});

test.describe("authorization matrix", () => {
  test.slow();
  let sql: Sql;
  let world: World;

  test.beforeAll(async ({ baseURL }) => {
    test.setTimeout(240_000);
    const db = await e2eDatabase(4);
    test.skip(db === null, "the probes read the e2e database with SQL: PostgreSQL only");
    sql = db!;
    world = await createWorld(baseURL!, sql, "M");
  });
  test.afterAll(async () => {
    await world?.dispose();
    await sql?.end();
  });

  const isCustomer = (a: ActorKey) => a === "buyer" || a === "customerAdmin" || a === "globexBuyer";

  test("pages: allowed 200; anonymous to /login; the other side to its home; no permission or another company's id 404", async ({ baseURL }) => {
    const problems: string[] = [];
    const jobs = pages.flatMap((p) => ACTORS.map((actor) => ({ p, actor })));
    const run = async ({ p, actor }: (typeof jobs)[number]) => {
      const url = p.path(world.ids);
      const res = await world.contexts[actor].get(url, { maxRedirects: 0, failOnStatusCode: false });
      const location = res.headers()["location"] ?? "";
      const inAdmin = url === "/admin" || url.startsWith("/admin/");
      let expected: string;
      if (p.allowed.includes(actor)) expected = "200";
      else if (actor === "anonymous") expected = "307 /login";
      else if (url === "/login") expected = `307 ${isCustomer(actor) ? "/" : "/admin"}`;
      else if (inAdmin && isCustomer(actor)) expected = "307 /";
      else if (!inAdmin && !isCustomer(actor)) expected = "307 /admin";
      else expected = "404";
      const got = res.status() === 200 || res.status() === 404 ? String(res.status()) : `${res.status()} ${new URL(location, baseURL).pathname}`;
      if (got !== expected) problems.push(`${actor} GET ${url}: expected ${expected}, got ${got}`);
      if (got === "200" && !p.allowed.includes(actor)) problems.push(`LEAK ${actor} read ${url}`);
    };
    for (let i = 0; i < jobs.length; i += 6) await Promise.all(jobs.slice(i, i + 6).map(run));
    expect(problems).toEqual([]);
  });

  test("route handlers: allowed 200; 401 anonymous, 403 wrong role, 404 another company's id, JSON errors, nothing written", async ({ baseURL }) => {
    const problems: string[] = [];
    for (const r of routes) {
      // Refused actors first, while the world is as set up; then the allowed ones.
      const order = [...ACTORS.filter((a) => !r.allowed.includes(a)), ...ACTORS.filter((a) => r.allowed.includes(a))];
      for (const actor of order) {
        const url = r.path(world.ids);
        const before = r.method !== "GET" ? await worldDigest(sql, world) : "";
        const send = () =>
          r.method === "GET"
            ? world.contexts[actor].get(url, { maxRedirects: 0, failOnStatusCode: false })
            : world.contexts[actor].fetch(url, {
                method: r.method,
                headers: { "idempotency-key": `matrix-${crypto.randomUUID()}`, origin: baseURL!, ...r.headers },
                data: r.body!(world.ids),
                maxRedirects: 0,
                failOnStatusCode: false,
              });
        let res = await send();
        // /api/v1 spends the client IP's rate limit before it looks at the (missing) key: hundreds of
        // probes from one address in seconds exceed it. A 429 is the limiter, not the authorization
        // answer this test is after, so wait as told and ask again.
        for (let tries = 0; r.problem && res.status() === 429 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, (Number(res.headers()["retry-after"] ?? 1) + 0.2) * 1000));
          res = await send();
        }
        const status = res.status();
        const label = `${actor} ${r.method} ${url}`;
        if (r.allowed.includes(actor)) {
          if (!(r.allowedStatus ?? [200]).includes(status)) problems.push(`${label}: allowed, expected ${(r.allowedStatus ?? [200]).join("/")}, got ${status} ${(await res.text()).slice(0, 200)}`);
          continue;
        }
        const expected = r.refusedStatus?.[actor] ?? (actor === "anonymous" ? 401 : isCustomer(actor) && r.allowed.some(isCustomer) ? 404 : 403);
        if (status !== expected) problems.push(`${label}: refused, expected ${expected}, got ${status} ${(await res.text()).slice(0, 200)}`);
        const type = res.headers()["content-type"] ?? "";
        if (r.problem) {
          // RFC 9457: application/problem+json with type, title, status (the response's) and a stable code.
          const body = type.startsWith("application/problem+json") ? ((await res.json()) as Record<string, unknown>) : null;
          if (!body || body.status !== status || typeof body.type !== "string" || typeof body.title !== "string" || typeof body.code !== "string")
            problems.push(`${label}: refusal is not problem+json (${type}): ${body ? JSON.stringify(body) : ""}`);
        } else if (!type.startsWith("application/json")) problems.push(`${label}: refusal is not JSON (${type})`);
        else {
          const body = (await res.json()) as Record<string, unknown>;
          if (body.ok !== false || typeof body.code !== "string" || typeof body.error !== "string") problems.push(`${label}: refusal is not { ok:false, code, error }: ${JSON.stringify(body)}`);
        }
        if (r.method !== "GET") {
          const changed = digestDiff(before, await worldDigest(sql, world));
          if (changed.length) problems.push(`WRITE ${label} was refused with ${status} but changed ${changed.join(", ")}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("server actions: a refused actor is refused by the action (or sent away by the proxy) and nothing is written", async ({ baseURL }) => {
    const manifest = actionManifest();
    const problems: string[] = [];
    let invoked = 0;
    for (const a of actions) {
      if (a.skip) continue;
      const entry = manifest.get(a.ref)!;
      const page = actionPage(entry.workers, a.params?.(world.ids) ?? {});
      const order = [...ACTORS.filter((x) => !a.allowed.includes(x)), ...ACTORS.filter((x) => a.allowed.includes(x))];
      for (const actor of order) {
        const before = await worldDigest(sql, world);
        const args = a.args
          ? { args: a.args(world.ids, world.tag) }
          : { form: { idempotencyKey: `matrix-${crypto.randomUUID()}`, ...(a.form?.(world.ids, world.tag) ?? {}) } };
        const out = await callAction(world.contexts[actor], baseURL!, page, entry.id, args);
        invoked++;
        const code = resultCode(out.result);
        const label = `${actor} ${a.ref.split("/").slice(-2).join("/")}`;
        const sentAway = [303, 307, 308].includes(out.status);
        if (out.status >= 500) {
          problems.push(`${label}: ${out.status} ${out.body.slice(0, 300)}`);
          continue;
        }
        if (a.allowed.includes(actor)) {
          const authorized = out.status === 200 && !sentAway && (resultOk(out.result) || (out.location !== null && !out.location.startsWith("/login")) || (code !== undefined && (a.allowedCodes ?? []).includes(code)) || (a.ref.endsWith("#loginAction") && out.result !== undefined));
          if (!authorized) problems.push(`${label}: allowed but got ${out.status} ${out.location ?? ""} ${JSON.stringify(out.result)?.slice(0, 200)}`);
          continue;
        }
        // previewStatementAction answers { ok:false, error } (read-only, no code).
        const refused = sentAway || (out.status === 200 && (["forbidden", "not_found", "unauthenticated", a.refusedCodes?.[actor]].includes(code ?? "") || (a.args !== undefined && (out.result as { ok?: unknown })?.ok === false)));
        if (!refused) problems.push(`${label}: expected a refusal, got ${out.status} ${out.location ?? ""} ${JSON.stringify(out.result)?.slice(0, 200)}`);
        if (sentAway && actor !== "anonymous" && !/^\/(admin)?$/.test(new URL(out.location ?? "/x", baseURL).pathname)) problems.push(`${label}: sent to ${out.location}`);
        const changed = digestDiff(before, await worldDigest(sql, world));
        if (changed.length) problems.push(`WRITE ${label} was refused but changed ${changed.join(", ")}`);
      }
    }
    console.log(`[matrix] ${invoked} server-action calls`);
    expect(problems).toEqual([]);
  });
});
