import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { isPostgres, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { QUEUES, RELAY_NUDGE_SPACING_MS, nudgeRelay, relayNudgesFailed, relayNudgesSent, startJobQueue, stopJobQueue } from "./queue";

// The relay nudge after a commit with events is spaced per process: one pg-boss insert at a time, at
// most one per RELAY_NUDGE_SPACING_MS, shared by the calls made before it begins. Nothing is lost by
// it: every call is followed by an insert that began after the call.

setupTestDatabase();

beforeAll(async () => {
  await startJobQueue({ worker: false });
});
afterAll(async () => {
  await stopJobQueue();
});

describe.runIf(isPostgres())("relay nudges", () => {
  it("sends one nudge for a burst of calls, and a later one for a call made while it was under way, spaced", async () => {
    const failedBefore = relayNudgesFailed();
    const before = relayNudgesSent();
    const sentWhenSettled: number[] = [];
    const began = performance.now();
    await Promise.all(Array.from({ length: 40 }, () => nudgeRelay().then(() => sentWhenSettled.push(relayNudgesSent()))));
    expect(relayNudgesSent() - before).toBe(1);
    expect(sentWhenSettled.every((n) => n === before + 1)).toBe(true);

    // A call made once the next nudge has begun gets one of its own, begun at least the spacing later.
    const first = nudgeRelay();
    while (relayNudgesSent() < before + 2) await new Promise((resolve) => setImmediate(resolve));
    const second = nudgeRelay().then(() => ({ sent: relayNudgesSent(), at: performance.now() }));
    await first;
    const settled = await second;
    expect(settled.sent).toBe(before + 3);
    expect(settled.at - began).toBeGreaterThanOrEqual(2 * RELAY_NUDGE_SPACING_MS - 2);

    // Stopping the queue sends the nudge still waiting for its turn first (a script that commits and
    // stops at once). No worker runs here, so the waiting relay job is this nudge's (the earlier ones'
    // are removed first: a waiting job would make the short policy drop its insert).
    await db.execute(sql`delete from pgboss.job where name = ${QUEUES.relay} and state = 'created'`);
    const pending = nudgeRelay().then(() => relayNudgesSent());
    await stopJobQueue();
    expect(await pending).toBe(before + 4);
    const [waiting] = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.relay} and state = 'created'`);
    expect(waiting!.n).toBe(1);
    await startJobQueue({ worker: false });

    // Each reached pg-boss (a relay job inserted, or dropped by the "short" policy because one waits:
    // other files' nudges share the database, so which of the two is not asserted).
    expect(relayNudgesFailed()).toBe(failedBefore);
  });
});
