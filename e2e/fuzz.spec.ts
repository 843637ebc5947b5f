import { expect, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { pendingExpectations, type FuzzFailure } from "./fuzz-pending";
import { ACTORS, actionManifest, actionPage, callAction, createWorld, digestDiff, resultOk, worldDigest, type ActionArgs, type ActorKey, type Sql, type World } from "./probe-kit";
import { e2eDatabase } from "./db";
import { actions, routes, type FormFields } from "./surface";

// Property-based fuzzing of every JSON route and every server action of e2e/surface.ts with hostile
// input: wrong types, huge strings, NUL and control characters, impossible dates, malformed
// numbers, unicode, deep JSON, missing and extra fields, malformed percent-encoding, wrong
// content types and garbage at the action protocol level. The rules: no 5xx; an API refusal is
// JSON { ok:false, code, error }; a refused request writes nothing of the probe's world (SQL).
//
// The cases come from fast-check with one seed for the run (printed; replay with PROBES_SEED=<n>),
// PROBES_FUZZ_RUNS cases per target (default 80: 64 targets, over 5,000 cases), sent in parallel.
// Failures that another branch is fixing are listed in e2e/fuzz-pending.ts.

const SEED = Number(process.env.PROBES_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.PROBES_FUZZ_RUNS ?? 80);
const PARALLEL = 12;
const STRICT = process.env.PROBES_STRICT === "1";

type Ids = World["ids"];
type Case = {
  mode: string;
  actor: ActorKey;
  /** JSON routes: the body, or a raw body with its content type. */
  body?: unknown;
  raw?: { data: string; contentType: string | null };
  /** Server actions: the form, positional args, or a raw protocol-level body. */
  action?: ActionArgs;
  path?: string;
  origin?: string;
};

/** Percent-encodes like encodeURIComponent, also a lone surrogate (as the UTF-8 of U+FFFD, where encodeURIComponent throws). */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
};

const pad = (n: number, w: number) => String(n).padStart(w, "0");

function hostileString(ids: Ids): fc.Arbitrary<string> {
  const fixed = [
    "", " ", "\u0000", "a\u0000b", "\u0007\u001b[31m", "\u007f", "\u0085", "\u202eevil", "\ufeff1", "\ud800", "💥", "👩‍👩‍👧‍👦", "Ωmega", "١٢٣", "１２３",
    "2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01", "2026-00-10", "2026-1-1", "2026-02-29T25:00", "-0001-01-01", "+275760-09-13",
    "1,,0", "1..0", "1.2.3", "-1", "-0", "0", "1e309", "1e-400", "NaN", "Infinity", "0x10", "1_000", " 1 0 ", "99999999999999999999999", "0.001", "1,5",
    "true", "false", "null", "undefined", "[]", "{}", "[object Object]", "on", "yes",
    "' or 1=1 --", "\"; drop table users; --", "<script>alert(1)</script>", "${7*7}", "../../etc/passwd", "%", "%zz", "%E0%A4%A", "%00",
    "RF00", "RF18 5390 0754 7034", "INV-", "ORD-0",
    "00000000-0000-0000-0000-000000000000", "00000000-0000-4000-8000-000000000000", "not-a-uuid", `${ids.orderId}x`, ids.orderId.toUpperCase(),
    ids.orderId, ids.quoteOrderId, ids.invoiceId, ids.paymentId, ids.otherCompanyId, ids.ownerCompanyId, ids.productId, ids.quotationId, ids.priceListId,
    "a".repeat(101), "b".repeat(1001), "c".repeat(4001), "d".repeat(70_000),
  ];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fixed) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
    },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("1", "12", "0", "999"), fc.constantFrom(",", ".", ",,", "..", " ", "'"), fc.constantFrom("0", "00", "5", "999")).map(([a, s, b]) => `${a}${s}${b}`) },
  );
}

function deep(n: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function hostileJson(ids: Ids): fc.Arbitrary<unknown> {
  const s = hostileString(ids);
  return fc.oneof(
    { weight: 6, arbitrary: s },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(s, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), s, { maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(deep(50), deep(2000), [[{ id: null, version: "x" }]], { amount: { $gt: 0 } }) },
  );
}

/** "a.0.b"-style paths of every leaf of a JSON object. */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    const out = entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
    return prefix ? [prefix, ...out] : out;
  }
  return prefix ? [prefix] : [];
}

function setPath(base: unknown, path: string, value: unknown, remove = false): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const rawBodies = (base: unknown): { data: string; contentType: string | null }[] => [
  { data: "", contentType: "application/json" },
  { data: "{", contentType: "application/json" },
  { data: "null", contentType: "application/json" },
  { data: "[]", contentType: "application/json" },
  { data: '"text"', contentType: "application/json" },
  { data: "\ufeff" + JSON.stringify(base), contentType: "application/json" },
  { data: JSON.stringify(base), contentType: "text/plain" },
  { data: JSON.stringify(base), contentType: null },
  { data: "amount=1&paidOn=2026-01-01", contentType: "application/x-www-form-urlencoded" },
  { data: "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--", contentType: "multipart/form-data; boundary=x" },
  { data: JSON.stringify(base), contentType: "application/json; charset=utf-16" },
  { data: JSON.stringify(base).replace(/^\{/, '{"__proto__":{"ok":true,"role":"admin"},'), contentType: "application/json" },
  { data: JSON.stringify(base).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'), contentType: "application/json" },
  { data: "[".repeat(100_000) + "]".repeat(100_000), contentType: "application/json" },
  { data: '{"a":"\\ud800"}', contentType: "application/json" },
  { data: JSON.stringify(base) + "garbage", contentType: "application/json" },
];

/** Cases for a JSON POST route whose valid body is `base`, posted to `path` (with `segment` the replaceable id in it). */
function jsonRouteCases(ids: Ids, base: Record<string, unknown>, actors: fc.Arbitrary<ActorKey>, path: string, segment?: string): fc.Arbitrary<Case> {
  const paths = leafPaths(base);
  const value = hostileJson(ids);
  const modes: fc.Arbitrary<Omit<Case, "actor">>[] = [
    fc.record({ p: fc.constantFrom(...(paths.length ? paths : ["x"])), v: value }).map(({ p, v }) => ({ mode: `replace ${p}`, body: setPath(base, p, v), path })),
    fc.record({ k: fc.oneof(fc.constantFrom("id", "companyId", "role", "ok", "status", "actorId", "amountMinor", "paymentId"), fc.string({ maxLength: 8 })), v: value }).map(({ k, v }) => ({ mode: `extra ${k}`, body: { ...base, [k]: v }, path })),
    value.map((v) => ({ mode: "whole body", body: v, path })),
    fc.constantFrom(...rawBodies(base)).map((raw) => ({ mode: `raw ${raw.contentType}`, raw, path })),
  ];
  if (paths.length) modes.push(fc.constantFrom(...paths).map((p) => ({ mode: `delete ${p}`, body: setPath(base, p, undefined, true), path })));
  if (segment) {
    modes.push(hostileString(ids).map((s) => ({ mode: "path-segment", body: base, path: path.replace(segment, enc(s) || "%20") })));
    modes.push(fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%FF%FE", "a%2Fb", "%2e%2e").map((s) => ({ mode: "malformed-path-segment", body: base, path: path.replace(segment, s) })));
  }
  return fc.tuple(fc.oneof(...modes), actors).map(([c, actor]) => ({ ...c, actor }));
}

/** Cases for a GET route: hostile values in its query parameters or path segment. */
function getRouteCases(ids: Ids, make: (s1: string, s2: string) => string, actors: fc.Arbitrary<ActorKey>, malformed: (s: string) => string): fc.Arbitrary<Case> {
  const s = hostileString(ids);
  return fc.tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(s, s).map(([a, b]) => ({ mode: "query", path: make(enc(a), enc(b)) })) },
      { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "%E0%A4%A", "%C0%AF", "%FF").map((m) => ({ mode: "malformed-path-segment", path: malformed(m) })) },
    ),
    actors,
  ).map(([c, actor]) => ({ ...c, actor }));
}

/** Cases for a server action whose valid form is `base`. */
function actionCases(ids: Ids, base: FormFields, actors: fc.Arbitrary<ActorKey>): fc.Arbitrary<Case> {
  const fields = Object.keys(base);
  const s = hostileString(ids);
  const form = (f: FormFields) => ({ form: { idempotencyKey: `fuzz-${crypto.randomUUID()}`, ...f } });
  const modes: fc.Arbitrary<Omit<Case, "actor">>[] = [
    fc.record({ k: fc.constantFrom(...(fields.length ? fields : ["x"])), v: s }).map(({ k, v }) => ({ mode: `replace ${k}`, action: form({ ...base, [k]: v }) })),
    fc.record({ k: fc.constantFrom(...(fields.length ? fields : ["x"])), a: s, b: s }).map(({ k, a, b }) => ({ mode: `twice ${k}`, action: form({ ...base, [k]: [a, b] }) })),
    fc.record({ k: fc.oneof(fc.constantFrom("id", "companyId", "role", "$ACTION_ID_x", "idempotencyKey", "__proto__", "lines", "allocation_x"), fc.string({ maxLength: 8 })), v: s }).map(({ k, v }) => ({ mode: `extra ${k}`, action: form({ ...base, [k]: v }) })),
    fc.record({ k: fc.constantFrom(...(fields.length ? fields : ["x"])), v: s }).map(({ k, v }) => ({ mode: `file ${k}`, action: form({ ...base, [k]: new File([v], "x.bin") }) })),
    fc.constantFrom(
      { contentType: "text/plain;charset=UTF-8", body: "[" },
      { contentType: "text/plain;charset=UTF-8", body: "[1,2,3]" },
      { contentType: "text/plain;charset=UTF-8", body: '{"a":1}' },
      { contentType: "text/plain;charset=UTF-8", body: '["$K1"]' },
      { contentType: "text/plain;charset=UTF-8", body: '["$@99","$Q1","$Z"]' },
      { contentType: "multipart/form-data; boundary=x", body: "garbage" },
      { contentType: "application/json", body: "{}" },
      { contentType: "application/x-www-form-urlencoded", body: "a=1" },
    ).map((raw) => ({ mode: `raw ${raw.contentType}`, action: { raw } })),
    fc.constant({ mode: "foreign origin", action: form(base), origin: "https://evil.example" }),
  ];
  if (fields.length) modes.push(fc.constantFrom(...fields).map((k) => ({ mode: `delete ${k}`, action: form(Object.fromEntries(Object.entries(base).filter(([f]) => f !== k))) })));
  return fc.tuple(fc.oneof(...modes), actors).map(([c, actor]) => ({ ...c, actor }));
}

/**
 * One retry when the connection was reset before an answer: a kept-alive socket the server closed
 * as the request went out (Node's keep-alive race), so the request never reached the app.
 */
async function withRetryOnReset<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!/ECONNRESET|socket hang up/.test(String(error))) throw error;
    return send();
  }
}

type Target = { name: string; cases: Case[]; send: (c: Case) => Promise<{ status: number; contentType: string; body: string; result?: unknown; location?: string | null; path: string }>; api: boolean };

test.describe("fuzzing every JSON route and server action", () => {
  let sql: Sql;
  let world: World;

  test.beforeAll(async ({ baseURL }) => {
    test.setTimeout(240_000);
    const db = await e2eDatabase(4);
    test.skip(db === null, "the probes read the e2e database with SQL: PostgreSQL only");
    sql = db!;
    world = await createWorld(baseURL!, sql, "F");
  });
  test.afterAll(async () => {
    await world?.dispose();
    await sql?.end();
  });

  test("no 5xx, JSON refusals, no write on a refused request", async ({ baseURL }) => {
    test.setTimeout(900_000);
    console.log(`[fuzz] seed ${SEED} (replay: PROBES_SEED=${SEED}), ${RUNS} cases per target`);
    const ids = world.ids;
    const ctx = (a: ActorKey): APIRequestContext => world.contexts[a];
    const actorsFor = (allowed: readonly ActorKey[], fallback: ActorKey): fc.Arbitrary<ActorKey> => {
      const main = allowed[0] ?? fallback;
      const refused = ACTORS.filter((a) => !allowed.includes(a));
      return refused.length ? fc.oneof({ weight: 9, arbitrary: fc.constant(main) }, { weight: 1, arbitrary: fc.constantFrom(...refused) }) : fc.constant(main);
    };
    const targets: Target[] = [];
    let seedOffset = 0;
    const sample = (arb: fc.Arbitrary<Case>) => fc.sample(arb, { seed: SEED + seedOffset++, numRuns: RUNS });

    const sendJson = async (c: Case) => {
      const res = c.raw
        ? await ctx(c.actor).post(c.path!, {
            headers: { "idempotency-key": `fuzz-${crypto.randomUUID()}`, ...(c.raw.contentType ? { "content-type": c.raw.contentType } : {}) },
            data: Buffer.from(c.raw.data, "utf8"),
            failOnStatusCode: false,
            maxRedirects: 0,
          })
        : await ctx(c.actor).post(c.path!, { headers: { "idempotency-key": `fuzz-${crypto.randomUUID()}` }, data: c.body === undefined ? "" : JSON.stringify(c.body), failOnStatusCode: false, maxRedirects: 0 });
      return { status: res.status(), contentType: res.headers()["content-type"] ?? "", body: await res.text(), path: c.path! };
    };
    for (const r of routes.filter((x) => x.fuzz && x.method === "POST")) {
      const path = r.path(ids);
      const segment = [ids.paymentId, ids.statementLineId, "signed-test"].find((s) => path.includes(s));
      targets.push({ name: `POST ${path.replace(segment ?? "\u0000", ":id")}`, api: true, cases: sample(jsonRouteCases(ids, r.body!(ids), actorsFor(r.allowed, "anonymous"), path, segment)), send: sendJson });
    }
    const sendGet = async (c: Case) => {
      const res = await ctx(c.actor).get(c.path!, { failOnStatusCode: false, maxRedirects: 0 });
      return { status: res.status(), contentType: res.headers()["content-type"] ?? "", body: (await res.body()).subarray(0, 2000).toString("utf8"), path: c.path! };
    };
    targets.push({
      name: "GET /api/statements/account?company&format",
      api: true,
      cases: sample(getRouteCases(ids, (a, b) => `/api/statements/account?company=${a}&format=${b}`, fc.constantFrom("buyer", "globexBuyer", "finance", "anonymous"), (m) => `/api/statements/account?company=${m}`)),
      send: sendGet,
    });
    targets.push({
      name: "GET /api/documents/:kind/:id",
      api: true,
      cases: sample(getRouteCases(ids, (a, b) => `/api/documents/${a || "invoices"}/${b || "x"}`, fc.constantFrom("buyer", "globexBuyer", "admin"), (m) => `/api/documents/invoices/${m}`)),
      send: sendGet,
    });
    targets.push({
      name: "GET /api/admin/price-lists/:id/export",
      api: true,
      cases: sample(getRouteCases(ids, (a) => `/api/admin/price-lists/${a || "x"}/export`, fc.constantFrom("sales", "buyer"), (m) => `/api/admin/price-lists/${m}/export`)),
      send: sendGet,
    });

    const manifest = actionManifest();
    // Fuzzed last: a hostile form may deactivate the owner company, which signs its customers out.
    const ordered = [...actions.filter((a) => !a.ref.endsWith("#updateCompanyAction")), ...actions.filter((a) => a.ref.endsWith("#updateCompanyAction"))];
    for (const a of ordered) {
      if (a.skip) continue;
      const entry = manifest.get(a.ref)!;
      const page = actionPage(entry.workers, a.params?.(ids) ?? {});
      const name = a.ref.split("/").slice(-2).join("/");
      let arb: fc.Arbitrary<Case>;
      if (a.ref.endsWith("#loginAction")) {
        // Only forms the schema refuses: a failed sign-in attempt would count against this machine's IP.
        arb = fc
          .record({ email: fc.oneof(fc.constant(""), fc.constant("a".repeat(400)), hostileString(ids)), password: fc.oneof(fc.constant(""), fc.constant("p".repeat(1100))) })
          .map((f) => ({ mode: "login form", actor: "anonymous" as const, action: { form: f } }));
      } else if (a.args) {
        const base = a.args(ids, world.tag) as string[];
        arb = fc
          .tuple(fc.array(fc.oneof(hostileJson(ids), fc.constantFrom(...base)), { maxLength: 4 }), actorsFor(a.allowed, "admin"))
          .map(([args, actor]) => ({ mode: "args", actor, action: { args } }));
      } else {
        arb = actionCases(ids, a.form!(ids, world.tag), actorsFor(a.allowed, "admin"));
      }
      targets.push({
        name,
        api: false,
        cases: sample(arb),
        send: async (c) => {
          const out = c.origin
            ? await world.contexts[c.actor].post(page, {
                headers: { "next-action": entry.id, origin: c.origin, accept: "text/x-component" },
                multipart: (() => {
                  const fd = new FormData();
                  fd.append("0", JSON.stringify(["$undefined", "$K1"]));
                  return fd;
                })(),
                maxRedirects: 0,
                failOnStatusCode: false,
              }).then(async (r) => ({ status: r.status(), location: null, result: undefined, body: await r.text(), contentType: r.headers()["content-type"] ?? "" }))
            : { ...(await callAction(world.contexts[c.actor], baseURL!, page, entry.id, c.action!)), contentType: "" };
          return { status: out.status, contentType: out.contentType, body: out.body, result: out.result, location: out.location, path: page };
        },
      });
    }

    const failures: (FuzzFailure & { case: string; reason: string })[] = [];
    const writes: string[] = [];
    let total = 0;
    let accepted = 0;
    let writeChecked = 0;
    const timings: string[] = [];
    for (const t of targets) {
      const started = Date.now();
      for (let i = 0; i < t.cases.length; i += PARALLEL) {
        const chunk = t.cases.slice(i, i + PARALLEL);
        const before = await worldDigest(sql, world);
        const answers = await Promise.all(chunk.map((c) => withRetryOnReset(() => t.send(c))));
        total += chunk.length;
        let anyAccepted = false;
        answers.forEach((res, j) => {
          const c = chunk[j]!;
          const describe = `${t.name} case ${i + j} [${c.mode}] as ${c.actor}`;
          const sent = c.raw?.data ?? (c.action && "raw" in c.action ? String(c.action.raw.body) : undefined);
          const fail = (reason: string) => failures.push({ target: t.name, path: res.path, status: res.status, contentType: res.contentType, body: res.body.slice(0, 300), mode: c.mode, sent, case: describe, reason });
          if (res.status >= 500) return fail("5xx");
          // An action's "internal" result is its 500: an unexpected error, logged with a request id.
          if ((res.result as { code?: unknown } | undefined)?.code === "internal") return fail("internal error (the action's 5xx)");
          if (t.api) {
            if (res.status < 300) anyAccepted = true;
            // 414/431: Node's HTTP server refuses an oversized request head before the app sees it (no body).
            if (res.status >= 400 && res.status !== 414 && res.status !== 431) {
              let body: Record<string, unknown> | null = null;
              try {
                body = JSON.parse(res.body) as Record<string, unknown>;
              } catch {
                body = null;
              }
              if (!res.contentType.startsWith("application/json") || !body || body.ok !== false || typeof body.code !== "string" || typeof body.error !== "string") fail("refusal is not JSON { ok:false, code, error }");
            }
          } else {
            const r = res.result as Record<string, unknown> | undefined;
            // A success, or a redirect the action chose (after a success: created, submitted, signed in).
            if (res.status === 200 && (resultOk(r) || res.location)) anyAccepted = true;
            if (r && r.ok === false && !t.name.endsWith("#previewStatementAction") && (typeof r.code !== "string" || typeof r.error !== "string")) fail("action refusal without { ok:false, code, error }");
          }
        });
        if (!anyAccepted) {
          writeChecked += chunk.length;
          const changed = digestDiff(before, await worldDigest(sql, world));
          if (changed.length) writes.push(`${t.name} cases ${i}-${i + chunk.length - 1} were all refused but changed ${changed.join(", ")}: ${chunk.map((c) => c.mode).join(" | ")}`);
        } else accepted++;
      }
      timings.push(`${t.name} ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    if (process.env.PROBES_TIMINGS) console.log(`[fuzz] ${timings.join(", ")}`);

    const pending = failures.filter((f) => pendingExpectations.some((p) => p.matches(f)));
    const real = STRICT ? failures : failures.filter((f) => !pending.includes(f));
    const stale = pendingExpectations.filter((p) => !failures.some((f) => p.matches(f)));
    console.log(`[fuzz] ${total} cases over ${targets.length} targets; ${writeChecked} refused cases write-checked in SQL (${accepted} chunks held an accepted case, so their check was skipped); ${failures.length} failures, ${pending.length} of them known-pending`);
    for (const p of pendingExpectations) console.log(`[fuzz] pending ${p.id} (${p.owner}): ${pending.filter((f) => p.matches(f)).length} cases`);
    for (const p of stale) console.log(`[fuzz] STALE pending expectation ${p.id}: nothing matched it this run; remove it from e2e/fuzz-pending.ts once its fix has merged`);
    if (real.length || writes.length) console.log(`[fuzz] replay with PROBES_SEED=${SEED}`);
    expect(total).toBeGreaterThanOrEqual(targets.length * RUNS);
    expect(real.map((f) => `${f.case}: ${f.reason} ${f.status} ${f.path} ${f.body.replace(/\s+/g, " ").slice(0, 160)}`)).toEqual([]);
    expect(writes).toEqual([]);
  });
});
