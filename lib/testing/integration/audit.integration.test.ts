import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { pgErrorCode } from "@/lib/pg-error";
import { rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { auditDiff, recordAudit } from "@/lib/services/audit";

setupTestDatabase();

async function failure(query: ReturnType<typeof sql>): Promise<unknown> {
  try {
    // As the owner: the app role is refused before the triggers run (db-roles.integration.test.ts);
    // the triggers are the defence against code that holds the owner's rights.
    await withOwner((owner) => owner.execute(query));
  } catch (error) {
    return error;
  }
  return null;
}

describe("audit_events is append-only in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, even to the owner", async () => {
    await db.transaction((tx) => recordAudit(tx, { actor: "system", request: null }, { action: "test.event", entityType: "test" }));
    const [before] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events`);
    expect(before!.n).toBeGreaterThan(0);

    for (const statement of [
      sql`update audit_events set action = 'tampered'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      const error = await failure(statement);
      expect(error).not.toBeNull();
      expect(pgErrorCode(error)).toBe("42501");
      expect(String((error as { cause?: Error }).cause?.message ?? error)).toMatch(/append-only/);
    }
    const [after] = await rows<{ n: number; tampered: number }>(
      sql`select count(*)::int as n, count(*) filter (where action = 'tampered')::int as tampered from audit_events`,
    );
    expect(after).toEqual({ n: before!.n, tampered: 0 });
  });
});

describe("auditDiff", () => {
  it("keeps only changed fields and never copies secrets", () => {
    expect(
      auditDiff(
        { name: "A", email: "a@x", passwordHash: "old", creditLimitMinor: 10n },
        { name: "B", email: "a@x", passwordHash: "new", creditLimitMinor: 10n },
      ),
    ).toEqual({ before: { name: "A", passwordHash: "[redacted]" }, after: { name: "B", passwordHash: "[changed]" } });
  });
});
