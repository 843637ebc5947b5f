import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { applyAppRoleGrants, appTablePrivileges, ensureAppRole } from "@/db/roles";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/services/audit";
import { TEST_APP_ROLE } from "@/lib/testing/database-urls";
import { isPostgres, rows, setupTestDatabase } from "@/lib/testing/helpers";

// Least privilege (issue 10): the app connects as a role that can only INSERT and SELECT audit rows and
// can run no DDL, so none of the ways to rewrite the audit trail that work for the owner work for it.
// Every statement below is refused with the exact SQLSTATE and message of a privilege check, not by a
// trigger (the triggers' own refusal is tested as the owner in audit.integration.test.ts).

setupTestDatabase();

const postgresOnly = describe.runIf(env().DATABASE_OWNER_URL !== undefined);

type Refusal = { code: string | undefined; message: string } | null;

postgresOnly("the app role", () => {
  let app: postgres.Sql;
  let owner: postgres.Sql;
  let notices: postgres.Notice[] = [];

  beforeAll(() => {
    app = postgres(env().DATABASE_URL!, { max: 1, onnotice: (n) => notices.push(n) });
    owner = postgres(env().DATABASE_OWNER_URL!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await app.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
  });

  async function refusal(run: () => Promise<unknown>): Promise<Refusal> {
    try {
      await run();
      return null;
    } catch (error) {
      return { code: (error as { code?: string }).code, message: (error as Error).message };
    }
  }
  const asApp = (text: string) => refusal(() => app.unsafe(text));

  it("is what the app's pool connects as, and is no superuser", async () => {
    expect(isPostgres()).toBe(true);
    const [me] = await rows<{ user: string; super: boolean; owner: string }>(sql`
      select current_user as user, r.rolsuper as super,
             (select tableowner from pg_tables where schemaname = 'public' and tablename = 'audit_events') as owner
        from pg_roles r where r.rolname = current_user`);
    expect(me).toEqual({ user: TEST_APP_ROLE, super: false, owner: new URL(env().DATABASE_OWNER_URL!).username });
  });

  it("runs with JIT off and the configured lock timeout (db/client.ts's connection parameters)", async () => {
    const [settings] = await rows<{ jit: string; lock_timeout_ms: number }>(
      sql`select current_setting('jit') as jit, (extract(epoch from current_setting('lock_timeout')::interval) * 1000)::int as lock_timeout_ms`,
    );
    expect(settings).toEqual({ jit: "off", lock_timeout_ms: env().DATABASE_LOCK_TIMEOUT_MS });
  });

  it("inserts and reads audit rows", async () => {
    const action = `roles.check.${randomBytes(4).toString("hex")}`;
    await db.transaction((tx) => recordAudit(tx, { actor: "system", request: null }, { action, entityType: "test" }));
    const found = await app`select count(*)::int as n from audit_events where action = ${action}`;
    expect(found[0]!.n).toBe(1);
  });

  it("cannot UPDATE, DELETE or TRUNCATE audit_events: refused by privilege before any trigger runs", async () => {
    const [before] = await owner`select count(*)::int as n, max(id)::text as last from audit_events`;
    for (const statement of ["update audit_events set action = 'tampered'", "delete from audit_events", "truncate audit_events"]) {
      expect(await asApp(statement), statement).toEqual({ code: "42501", message: "permission denied for table audit_events" });
    }
    const [after] = await owner`select count(*)::int as n, max(id)::text as last, count(*) filter (where action = 'tampered')::int as tampered from audit_events`;
    expect(after).toEqual({ ...before, tampered: 0 });
  });

  it("cannot switch the triggers off, drop or replace them, or bypass them with session_replication_role", async () => {
    const ownerOnly = { code: "42501", message: "must be owner of table audit_events" };
    expect(await asApp("alter table audit_events disable trigger audit_events_no_update_delete")).toEqual(ownerOnly);
    expect(await asApp("alter table audit_events disable trigger all")).toEqual(ownerOnly);
    expect(await asApp("drop trigger audit_events_no_update_delete on audit_events")).toEqual({ code: "42501", message: "must be owner of relation audit_events" });
    expect(await asApp("create trigger sneaky before insert on audit_events for each row execute function audit_events_refuse_change()")).toEqual({
      code: "42501",
      message: "permission denied for table audit_events",
    });
    expect(await asApp("create or replace function audit_events_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$")).toEqual({
      code: "42501",
      message: "permission denied for schema public",
    });
    expect(await asApp("alter function audit_events_refuse_change() rename to bypassed")).toEqual({
      code: "42501",
      message: "must be owner of function audit_events_refuse_change",
    });
    const replicationRole = { code: "42501", message: 'permission denied to set parameter "session_replication_role"' };
    expect(await asApp("set session_replication_role = replica")).toEqual(replicationRole);
    expect(await refusal(() => app.begin((tx) => tx`set local session_replication_role = replica`))).toEqual(replicationRole);
    expect(await refusal(() => app.begin((tx) => tx`select set_config('session_replication_role', 'replica', true)`))).toEqual(replicationRole);
    // Nor can it take audit_events away from everyone else.
    expect(await refusal(() => app.begin((tx) => tx`lock table audit_events in access exclusive mode`))).toEqual({
      code: "42501",
      message: "permission denied for table audit_events",
    });
    const [triggers] = await owner`select count(*)::int as n from pg_trigger where tgrelid = 'audit_events'::regclass and tgenabled = 'O' and not tgisinternal`;
    expect(triggers!.n).toBe(2);
  });

  it("runs no DDL: cannot create, alter or drop any table, nor create schemas or functions", async () => {
    expect(await asApp("create table evil (id int)")).toEqual({ code: "42501", message: "permission denied for schema public" });
    expect(await asApp("create function evil() returns int language sql as 'select 1'")).toEqual({ code: "42501", message: "permission denied for schema public" });
    const database = new URL(env().DATABASE_URL!).pathname.slice(1);
    expect(await asApp("create schema evil")).toEqual({ code: "42501", message: `permission denied for database ${database}` });

    const tables = (await owner`select tablename from pg_tables where schemaname = 'public' order by tablename`).map((r) => r.tablename as string);
    expect(tables.length).toBeGreaterThan(20);
    for (const table of tables) {
      const ownerOnly = { code: "42501", message: `must be owner of table ${table}` };
      expect(await asApp(`drop table "${table}"`), table).toEqual(ownerOnly);
      expect(await asApp(`alter table "${table}" add column evil int`), table).toEqual(ownerOnly);
      expect(await asApp(`alter table "${table}" owner to current_user`), table).toEqual(ownerOnly);
    }
    const [still] = await owner`select count(*)::int as n from pg_tables where schemaname = 'public'`;
    expect(still!.n).toBe(tables.length);
  });

  it("cannot grant itself more: not on audit_events, not the owner's role, not role attributes", async () => {
    notices = [];
    // PostgreSQL answers a GRANT by a role without grant options on a table it has some right on with a
    // warning, not an error: nothing is granted.
    expect(await asApp(`grant update, delete, truncate, trigger on audit_events to ${TEST_APP_ROLE}`)).toBeNull();
    expect(notices.map((n) => [n.code, n.message])).toEqual([["01007", 'no privileges were granted for "audit_events"']]);
    const [rights] = await owner`
      select has_table_privilege(${TEST_APP_ROLE}, 'audit_events', 'UPDATE') as u, has_table_privilege(${TEST_APP_ROLE}, 'audit_events', 'DELETE') as d,
             has_table_privilege(${TEST_APP_ROLE}, 'audit_events', 'TRUNCATE') as t, has_table_privilege(${TEST_APP_ROLE}, 'audit_events', 'TRIGGER') as tr`;
    expect(rights).toEqual({ u: false, d: false, t: false, tr: false });

    const ownerRole = new URL(env().DATABASE_OWNER_URL!).username;
    const [isSuper] = await owner`select rolsuper from pg_roles where rolname = current_user`;
    expect(await asApp(`grant "${ownerRole}" to ${TEST_APP_ROLE}`)).toEqual({
      code: "42501",
      message: isSuper!.rolsuper ? "must be superuser to alter superusers" : `permission denied to grant role "${ownerRole}"`,
    });
    expect(await asApp(`set role "${ownerRole}"`)).toEqual({ code: "42501", message: `permission denied to set role "${ownerRole}"` });
    expect(await asApp(`alter role ${TEST_APP_ROLE} superuser`)).toEqual({ code: "42501", message: "must be superuser to alter superuser roles or change superuser attribute" });
    expect(await asApp(`alter role ${TEST_APP_ROLE} bypassrls`)).toEqual({ code: "42501", message: "must be superuser to change bypassrls attribute" });
    expect(await asApp("create role evil")).toEqual({ code: "42501", message: "permission denied to create role" });
    // The migrations' bookkeeping is the owner's alone.
    expect(await asApp("select * from drizzle.__drizzle_migrations")).toEqual({ code: "42501", message: "permission denied for schema drizzle" });
  });
});

postgresOnly("the grants rule (db/roles.ts)", () => {
  let owner: postgres.Sql;
  beforeAll(() => {
    owner = postgres(env().DATABASE_OWNER_URL!, { max: 2, onnotice: () => {} });
  });
  afterAll(() => owner.end({ timeout: 5 }));

  const privileges = async (role: string, table: string) =>
    (
      await owner`
        select p from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) as p
         where has_table_privilege(${role}, ${table}, p) order by array_position(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'], p)`
    ).map((r) => r.p as string);

  it("gives every table DML except the audit tables, which get their listed rights or none", async () => {
    expect(await privileges(TEST_APP_ROLE, "orders")).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
    expect(await privileges(TEST_APP_ROLE, "audit_events")).toEqual(["SELECT", "INSERT"]);
    expect(appTablePrivileges("audit_chain_heads")).toEqual([]);
  });

  it("cannot call the receivables rollup's owner-only functions (rebuild, refresh)", async () => {
    const [rights] = await owner`
      select has_function_privilege(${TEST_APP_ROLE}, 'receivable_balances_rebuild()', 'EXECUTE') as rebuild,
             has_function_privilege(${TEST_APP_ROLE}, 'receivable_balance_refresh(uuid)', 'EXECUTE') as refresh`;
    expect(rights).toEqual({ rebuild: false, refresh: false });
    await expect(rows(sql`select receivable_balances_rebuild()`)).rejects.toMatchObject({ cause: { code: "42501" } });
    // Likewise the converted rollups' (migrations 0034, 0035).
    for (const fn of ["converted_entries_rebuild()", "converted_collected_refresh(uuid)", "sales_rollups_set_currency(text)", "sales_rollups_rebuild()"]) {
      const [r] = await owner`select has_function_privilege(${TEST_APP_ROLE}, ${fn}, 'EXECUTE') as allowed`;
      expect([fn, r!.allowed]).toEqual([fn, false]);
    }
    await expect(rows(sql`delete from converted_entries`)).rejects.toMatchObject({ cause: { code: "42501" } });
  });

  it("covers tables added by later migrations, and a new audit_ table stays closed", async () => {
    const suffix = randomBytes(3).toString("hex");
    const plain = `later_feature_${suffix}`;
    const audit = `audit_chain_probe_${suffix}`;
    // What a later migration does: create tables as the owner. Until the grants step runs, the app has nothing.
    await owner.unsafe(`create table ${plain} (id bigserial primary key); create table ${audit} (id bigserial primary key)`);
    try {
      expect(await privileges(TEST_APP_ROLE, plain)).toEqual([]);
      await applyAppRoleGrants(owner, TEST_APP_ROLE);
      expect(await privileges(TEST_APP_ROLE, plain)).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
      expect(await privileges(TEST_APP_ROLE, audit)).toEqual([]);
      const [seq] = await owner`
        select has_sequence_privilege(${TEST_APP_ROLE}, ${plain + "_id_seq"}, 'USAGE') as plain_usage,
               has_sequence_privilege(${TEST_APP_ROLE}, ${plain + "_id_seq"}, 'UPDATE') as plain_setval,
               has_sequence_privilege(${TEST_APP_ROLE}, ${audit + "_id_seq"}, 'USAGE') as audit_usage`;
      expect(seq).toEqual({ plain_usage: true, plain_setval: false, audit_usage: false });
    } finally {
      await owner.unsafe(`drop table ${plain}; drop table ${audit}`);
    }
  });

  it("re-derives the rights every run: a stray GRANT (to the role or to PUBLIC) is taken back", async () => {
    await owner.unsafe(`grant update, delete on audit_events to ${TEST_APP_ROLE}; grant truncate on orders to public`);
    expect(await privileges(TEST_APP_ROLE, "audit_events")).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
    await applyAppRoleGrants(owner, TEST_APP_ROLE);
    expect(await privileges(TEST_APP_ROLE, "audit_events")).toEqual(["SELECT", "INSERT"]);
    expect(await privileges(TEST_APP_ROLE, "orders")).toEqual(["SELECT", "INSERT", "UPDATE", "DELETE"]);
  });

  it("fails the migrate step for a role with more rights than the rule, and for the owner itself", async () => {
    const wide = `orderly_test_wide_${randomBytes(4).toString("hex")}`;
    await owner.unsafe(`create role ${wide} login createdb; grant pg_write_all_data to ${wide}`);
    try {
      const error = await applyAppRoleGrants(owner, wide).then(() => null, (e: Error) => e.message);
      expect(error).toContain(`${wide} has CREATEDB`);
      expect(error).toContain(`${wide} holds UPDATE, DELETE on audit_events (through PUBLIC or another role it belongs to)`);
    } finally {
      await owner.unsafe(`drop owned by ${wide}; drop role ${wide}`);
    }
    const ownerRole = new URL(env().DATABASE_OWNER_URL!).username;
    await expect(applyAppRoleGrants(owner, ownerRole)).rejects.toThrow(`DATABASE_URL and DATABASE_OWNER_URL both connect as ${ownerRole}`);
  });

  it("creates a missing role once when several migrate runs race (roles are cluster-wide)", async () => {
    const name = `orderly_test_race_${randomBytes(4).toString("hex")}`;
    const second = postgres(env().DATABASE_OWNER_URL!, { max: 1, onnotice: () => {} });
    try {
      const outcomes = await Promise.all([ensureAppRole(owner, { name, password: "pw'quoted" }), ensureAppRole(second, { name, password: "pw'quoted" })]);
      expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
      const [role] = await owner`select rolcanlogin, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = ${name}`;
      expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    } finally {
      await second.end({ timeout: 5 });
      await owner.unsafe(`drop role if exists ${name}`);
    }
  });
});
