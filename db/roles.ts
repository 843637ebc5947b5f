import "server-only";
import type postgres from "postgres";

// Least privilege (issue 10). Two PostgreSQL roles:
// - the OWNER (DATABASE_OWNER_URL) runs the migrations and owns every table, trigger and function;
// - the APP role (DATABASE_URL) is what the running app, `npm run user:create` and the seed connect as.
// After every migrate, prepareAppRole() (run as the owner) creates the app role if it is missing and
// re-derives its rights from the rule below, so tables added by later migrations are covered without
// anyone remembering a GRANT. No ALTER DEFAULT PRIVILEGES: a table is unreachable for the app until the
// rule has looked at it (fail closed), and a new audit table never holds DML rights even for a moment.
//
// The rule, for every table, view and sequence in schema public:
// - a table in APP_ROLE_RESTRICTED_TABLES gets exactly the privileges listed there (maybe none);
// - any other table whose name starts with "audit_" gets nothing (audit bookkeeping tables are written
//   only by SECURITY DEFINER trigger functions; list one here if the app must read it);
// - every other table gets SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES or TRIGGER);
// - a sequence owned by a table (bigserial) gets USAGE when the app may INSERT into that table; other
//   sequences get USAGE, SELECT unless their name starts with "audit_". Nobody but the owner gets UPDATE (setval).
// The app role owns nothing and has no CREATE on any schema, so it can run no DDL: no ALTER, DROP,
// DISABLE TRIGGER, CREATE TABLE. Not being a superuser, it cannot SET session_replication_role.
// Every run ends by checking the app role's effective rights (memberships and PUBLIC grants included)
// and fails the migrate step if they are wider than the rule: a misconfigured role never goes unnoticed.

type TablePrivilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE";

/**
 * The deny-list: tables the app role does NOT get the default DML on, each with exactly what it gets
 * instead ([] = no rights at all). Extend it when adding audit tables the app must read or insert into.
 */
export const APP_ROLE_RESTRICTED_TABLES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  // Append-only trail: the app inserts (inside each mutation's transaction) and reads (audit viewer).
  audit_events: ["SELECT", "INSERT"],
  // Analytics rollup, written only by its SECURITY DEFINER triggers (migration 0017).
  receivable_balances: ["SELECT"],
  // Sales rollups and the seller time zone they date months in, written only by SECURITY DEFINER
  // functions (migration 0020): its triggers and the migrate step's sales_rollups_set_time_zone.
  analytics_settings: ["SELECT"],
  booked_orders: ["SELECT"],
  booked_company_months: ["SELECT"],
  booked_product_months: ["SELECT"],
  order_cycle_times: ["SELECT"],
  booked_product_windows: ["SELECT"],
  // The finance dashboard's converted entries (migration 0035), written only by SECURITY DEFINER triggers.
  converted_entries: ["SELECT"],
};

/** Owner-only SECURITY DEFINER functions (migration 0017) that the app role may not call itself. */
export const APP_ROLE_DENIED_FUNCTIONS = [
  "receivable_balances_rebuild()",
  "receivable_balance_refresh(uuid)",
  "converted_entries_rebuild()",
  "converted_collected_refresh(uuid)",
  "sales_rollups_set_currency(text)",
] as const;

/** Tables named like this that are not in APP_ROLE_RESTRICTED_TABLES get no rights (fail closed). */
export const APP_ROLE_DENIED_PREFIX = "audit_";

const DEFAULT_TABLE_PRIVILEGES: readonly TablePrivilege[] = ["SELECT", "INSERT", "UPDATE", "DELETE"];
const ALL_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"] as const;

/** What the app role may do on a table of schema public, by the rule above. */
export function appTablePrivileges(table: string): readonly TablePrivilege[] {
  if (Object.hasOwn(APP_ROLE_RESTRICTED_TABLES, table)) return APP_ROLE_RESTRICTED_TABLES[table]!;
  if (table.startsWith(APP_ROLE_DENIED_PREFIX)) return [];
  return DEFAULT_TABLE_PRIVILEGES;
}

/** The role name and password of a postgres:// URL (percent-decoded). */
export function roleOfUrl(url: string): { name: string; password: string | null } {
  const u = new URL(url);
  const name = decodeURIComponent(u.username);
  if (!name) throw new Error("DATABASE_URL must name its role (postgres://ROLE:password@host/db) when DATABASE_OWNER_URL is set.");
  return { name, password: u.password ? decodeURIComponent(u.password) : null };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates the app role if it does not exist. Roles are cluster-wide, so two migrate runs (parallel
 * test runs, two deploys) may race to create the same one: the loser's duplicate error is success.
 * An existing role is left as it is (its password is not changed); the checks in applyAppRoleGrants judge it.
 */
export async function ensureAppRole(owner: postgres.Sql, role: { name: string; password: string | null }): Promise<"created" | "existed"> {
  const [existing] = await owner`select 1 as found from pg_roles where rolname = ${role.name}`;
  if (existing) return "existed";
  // format() quotes on the server; CREATE ROLE takes no bind parameters.
  const [{ statement }] = (await owner`
    select format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS' || case when ${role.password}::text is null then '' else ' PASSWORD %L' end,
                  ${role.name}::text, ${role.password}::text) as statement`) as unknown as [{ statement: string }];
  try {
    await owner.unsafe(statement);
    return "created";
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42710 duplicate_object, or 23505 when the other session's insert into pg_authid won the race.
    if (code === "42710" || code === "23505") return "existed";
    if (code === "42501") {
      throw new Error(
        `The owner role may not create roles, so the app role ${role.name} must be created once by an administrator:\n` +
          `  CREATE ROLE ${quoteIdent(role.name)} LOGIN PASSWORD '…';\nthen run the migrate step again (it grants the rights). See README, Deploy.`,
        { cause: error },
      );
    }
    throw error;
  }
}

type RelationRow = { name: string; kind: string; owned_by: string | null };

/**
 * Grants the app role exactly what the rule allows on schema public and checks the result. Runs as the
 * owner in one transaction (other sessions see the old rights until it commits), serialised per database.
 * Needs no superuser: the owner owns the tables; schema-level changes are only made when needed.
 */
export async function applyAppRoleGrants(owner: postgres.Sql, appRole: string): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('orderly:app-role-grants'))`;
    const [who] = await tx`select current_user as owner, current_database() as database`;
    const app = quoteIdent(appRole);
    if (who!.owner === appRole) {
      throw new Error(`DATABASE_URL and DATABASE_OWNER_URL both connect as ${appRole}: the app role must be a separate role (see README, Deploy).`);
    }

    const [database] = await tx`select has_database_privilege(${appRole}, current_database(), 'CONNECT') as can_connect`;
    if (!database!.can_connect) await tx.unsafe(`GRANT CONNECT ON DATABASE ${quoteIdent(who!.database as string)} TO ${app}`);
    const [schema] = await tx`
      select has_schema_privilege(${appRole}, 'public', 'USAGE') as usage, has_schema_privilege(${appRole}, 'public', 'CREATE') as "create"`;
    if (!schema!.usage) await tx.unsafe(`GRANT USAGE ON SCHEMA public TO ${app}`);
    // PostgreSQL 14 and older let PUBLIC create objects in schema public. Revoking it needs the schema's
    // owner (the database owner from PostgreSQL 15 on); the check at the end reports it if that failed.
    if (schema!.create) await tx.savepoint((sp) => sp.unsafe(`REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${app}`)).catch(() => {});

    const relations = (await tx`
      select c.relname as name, c.relkind as kind, owner_table.relname as owned_by
        from pg_class c
        left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')
                             and d.refclassid = 'pg_class'::regclass
        left join pg_class owner_table on owner_table.oid = d.refobjid
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
       order by c.relname`) as unknown as RelationRow[];

    // Start from nothing (also what PUBLIC was given), then grant by the rule.
    await tx.unsafe(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, ${app}`);
    await tx.unsafe(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, ${app}`);
    for (const r of relations) {
      const target = `public.${quoteIdent(r.name)}`;
      if (r.kind === "S") {
        const privileges = sequencePrivileges(r);
        if (privileges) await tx.unsafe(`GRANT ${privileges} ON SEQUENCE ${target} TO ${app}`);
      } else {
        const privileges = appTablePrivileges(r.name);
        if (privileges.length > 0) await tx.unsafe(`GRANT ${privileges.join(", ")} ON TABLE ${target} TO ${app}`);
      }
    }

    await grantJobQueue(tx, app);
    // The rollup's SECURITY DEFINER helpers run as the owner; PostgreSQL gives EXECUTE on every new
    // function to PUBLIC, so the app role could call receivable_balances_rebuild() (an EXCLUSIVE lock and
    // a rewrite of the table) or lock any invoice FOR UPDATE. Their triggers call them as the owner.
    for (const fn of APP_ROLE_DENIED_FUNCTIONS) {
      const [exists] = await tx`select to_regprocedure(${fn}) is not null as present`;
      if (exists!.present) await tx.unsafe(`REVOKE EXECUTE ON FUNCTION public.${fn} FROM PUBLIC, ${app}`);
    }

    const problems = await appRoleProblems(tx, appRole, relations);
    if (problems.length > 0) {
      throw new Error(`The app role ${appRole} has more rights than it should:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee README, Deploy.`);
    }
  });
}

/** The job queue's schema (pg-boss, created at migrate time by lib/jobs/queue.ts installJobQueue). */
export const JOB_QUEUE_SCHEMA = "pgboss";

/**
 * The job queue's tables: the app enqueues, fetches, completes and deletes jobs (DML) and calls the
 * queue's functions; it never creates queues or tables (that happens at migrate time, as the owner),
 * and it holds no CREATE on the schema, TRUNCATE, REFERENCES or TRIGGER.
 */
async function grantJobQueue(tx: postgres.TransactionSql, app: string): Promise<void> {
  const [present] = await tx`select to_regnamespace(${JOB_QUEUE_SCHEMA}) is not null as present`;
  if (!present!.present) return;
  const schema = quoteIdent(JOB_QUEUE_SCHEMA);
  await tx.unsafe(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC, ${app}`);
  await tx.unsafe(`GRANT USAGE ON SCHEMA ${schema} TO ${app}`);
  await tx.unsafe(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM PUBLIC, ${app}`);
  await tx.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${app}`);
  await tx.unsafe(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM PUBLIC, ${app}`);
  await tx.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${app}`);
  await tx.unsafe(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${app}`);
}

function sequencePrivileges(r: RelationRow): string | null {
  if (r.owned_by !== null) return appTablePrivileges(r.owned_by).includes("INSERT") ? "USAGE" : null;
  return r.name.startsWith(APP_ROLE_DENIED_PREFIX) ? null : "USAGE, SELECT";
}

/** Every way the app role's effective rights exceed the rule (attributes, ownership, memberships, grants). */
async function appRoleProblems(tx: postgres.TransactionSql, appRole: string, relations: RelationRow[]): Promise<string[]> {
  const problems: string[] = [];
  const [role] = await tx`
    select r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
           pg_has_role(${appRole}, current_user, 'MEMBER') as member_of_owner,
           (select datdba = r.oid from pg_database where datname = current_database()) as owns_database,
           has_schema_privilege(${appRole}, 'public', 'CREATE') as creates_in_public,
           has_database_privilege(${appRole}, current_database(), 'CREATE') as creates_schemas,
           coalesce(has_schema_privilege(${appRole}, to_regnamespace(${JOB_QUEUE_SCHEMA})::oid, 'CREATE'), false) as creates_in_job_queue,
           current_setting('server_version_num')::int as server_version
      from pg_roles r where r.rolname = ${appRole}`;
  if (!role) return [`role ${appRole} does not exist`];
  // has_parameter_privilege() is new in PostgreSQL 15; before it only superusers could set it (checked above).
  if ((role.server_version as number) >= 150000) {
    const [parameter] = await tx`select has_parameter_privilege(${appRole}, 'session_replication_role', 'SET') as sets_replication_role`;
    role.sets_replication_role = parameter!.sets_replication_role;
  }
  const flags: [string, string][] = [
    ["rolsuper", "is a superuser"],
    ["rolcreaterole", "has CREATEROLE"],
    ["rolcreatedb", "has CREATEDB"],
    ["rolreplication", "has REPLICATION"],
    ["rolbypassrls", "has BYPASSRLS"],
    ["member_of_owner", "is a member of the owner role (it could SET ROLE to it)"],
    ["owns_database", "owns the database"],
    ["creates_in_public", "may CREATE in schema public (run as its owner: REVOKE CREATE ON SCHEMA public FROM PUBLIC)"],
    ["creates_schemas", "may CREATE schemas in the database"],
    ["creates_in_job_queue", `may CREATE in schema ${JOB_QUEUE_SCHEMA}`],
    ["sets_replication_role", "may SET session_replication_role"],
  ];
  for (const [column, text] of flags) if (role[column] === true) problems.push(`${appRole} ${text}`);

  const owned = await tx`
    select c.relname as name from pg_class c where c.relowner = (select oid from pg_roles where rolname = ${appRole})
    union all select p.proname from pg_proc p where p.proowner = (select oid from pg_roles where rolname = ${appRole})
    union all select n.nspname from pg_namespace n where n.nspowner = (select oid from pg_roles where rolname = ${appRole})`;
  for (const o of owned) problems.push(`${appRole} owns ${o.name as string}`);

  const tables = relations.filter((r) => r.kind !== "S").map((r) => r.name);
  const effective = await tx`
    select t.name, p.privilege
      from unnest(${tables}::text[]) as t(name)
      cross join unnest(${[...ALL_TABLE_PRIVILEGES]}::text[]) as p(privilege)
     where has_table_privilege(${appRole}, format('public.%I', t.name), p.privilege)`;
  const held = new Map<string, Set<string>>();
  for (const row of effective) {
    const set = held.get(row.name as string) ?? new Set<string>();
    set.add(row.privilege as string);
    held.set(row.name as string, set);
  }
  for (const table of tables) {
    const allowed = new Set<string>(appTablePrivileges(table));
    const extra = [...(held.get(table) ?? [])].filter((p) => !allowed.has(p));
    if (extra.length > 0) problems.push(`${appRole} holds ${extra.join(", ")} on ${table} (through PUBLIC or another role it belongs to)`);
  }
  const sequences = relations.filter((r) => r.kind === "S");
  for (const s of sequences) {
    const allowed = sequencePrivileges(s) ?? "";
    const [held] = await tx`
      select has_sequence_privilege(${appRole}, format('public.%I', ${s.name}::text), 'UPDATE') as "update",
             has_sequence_privilege(${appRole}, format('public.%I', ${s.name}::text), 'USAGE') as "usage",
             has_sequence_privilege(${appRole}, format('public.%I', ${s.name}::text), 'SELECT') as "select"`;
    const extra = (["update", "usage", "select"] as const).filter((p) => held![p] === true && !allowed.includes(p.toUpperCase()));
    if (extra.length > 0) problems.push(`${appRole} holds ${extra.join(", ").toUpperCase()} on sequence ${s.name}`);
  }
  return problems;
}

/** The migrate step's last part: the app role exists and holds exactly the rights of the rule. */
export async function prepareAppRole(owner: postgres.Sql, appDatabaseUrl: string): Promise<{ role: string; created: boolean }> {
  const role = roleOfUrl(appDatabaseUrl);
  const outcome = await ensureAppRole(owner, role);
  await applyAppRoleGrants(owner, role.name);
  return { role: role.name, created: outcome === "created" };
}
