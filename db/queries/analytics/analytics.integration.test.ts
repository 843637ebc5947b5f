import { describe, expect, it } from "vitest";
import { runAnalyticsWorkload, workloadSeed } from "@/lib/testing/analytics-workload";
import { setupTestDatabase, withOwner } from "@/lib/testing/helpers";

setupTestDatabase();

const SEED = workloadSeed(process.env.ANALYTICS_SEED);

describe("analytics", () => {
  it("smoke", async () => {
    console.log(`[analytics] seed ${SEED} (replay: ANALYTICS_SEED=${SEED})`);
    const result = await runAnalyticsWorkload({ seed: SEED, orders: 120, asOwner: withOwner, label: `A${SEED}`, log: console.log });
    expect(result.orderIds.length).toBe(120);
  }, 120_000);
});
