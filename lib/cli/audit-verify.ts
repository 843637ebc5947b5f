import { closeDb, db } from "@/db/client";
import { describeAuditChainBreak } from "@/lib/domain/audit-chain";
import { anchorVerifiedHeads, verifyAuditChains } from "@/lib/services/audit-chain";

// npm run audit:verify [-- --no-anchor]: verifies every chain of the audit trail (see README,
// "Audit verification"). Prints OK with counts and exits 0, or names the first broken row of each
// broken chain and exits 1. After a successful run it records the verified chain heads as anchors
// (unless --no-anchor) and prints them: kept outside the database, they let a later run prove the
// trail was not rewritten since.
const anchor = !process.argv.includes("--no-anchor");
try {
  const result = await verifyAuditChains(db);
  const summary = `${result.rows} rows in ${result.chainsUsed} of ${result.chains} chains, ${result.anchorsChecked} anchors checked, ${Math.round(result.ms)} ms`;
  if (result.ok) {
    const anchored = anchor ? await anchorVerifiedHeads(db, result) : 0;
    console.log(`OK: audit trail verified: ${summary}${anchor ? `; ${anchored} new anchors recorded` : ""}.`);
    for (const h of result.heads) console.log(`head chain=${h.chainId} seq=${h.chainSeq} hash=${h.hash}`);
  } else {
    console.error(`FAILED: audit trail verification found ${result.breaks.length} broken chain(s) (${summary}).`);
    console.error(`First broken: ${describeAuditChainBreak(result.breaks[0]!)}`);
    for (const b of result.breaks.slice(1)) console.error(`Also broken: ${describeAuditChainBreak(b)}`);
    process.exitCode = 1;
  }
} finally {
  await closeDb();
}
