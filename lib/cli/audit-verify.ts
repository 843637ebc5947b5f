import { readFileSync } from "node:fs";
import { closeDb, db } from "@/db/client";
import { describeAuditChainBreak, formatExternalAnchor, parseExternalAnchors } from "@/lib/domain/audit-chain";
import { anchorVerifiedHeads, verifyAuditChains } from "@/lib/services/audit-chain";

// npm run audit:verify [-- --no-anchor] [-- --anchors FILE]: verifies every chain of the audit trail
// (see README, "Audit verification"). Prints OK with counts and exits 0, or names the first broken row
// of each broken chain and exits 1. After a successful run it records the verified chain heads as
// anchors (unless --no-anchor) and prints them as `head chain=… seq=… hash=…` lines: kept outside the
// database, they let a later run (--anchors FILE, any text holding such lines) prove that the trail
// was not rewritten or cut since, even by someone who can rewrite the anchors table.
const args = process.argv.slice(2);
const anchor = !args.includes("--no-anchor");
const anchorsFile = args.includes("--anchors") ? args[args.indexOf("--anchors") + 1] : undefined;
try {
  const externalAnchors = anchorsFile ? parseExternalAnchors(readFileSync(anchorsFile, "utf8")) : [];
  if (anchorsFile && externalAnchors.length === 0) throw new Error(`no "head chain=… seq=… hash=…" lines in ${anchorsFile}`);
  const result = await verifyAuditChains(db, { externalAnchors });
  const summary = `${result.rows} rows in ${result.chainsUsed} of ${result.chains} chains, ${result.anchorsChecked} anchors checked, ${Math.round(result.ms)} ms`;
  if (result.ok) {
    const anchored = anchor ? await anchorVerifiedHeads(db, result) : 0;
    console.log(`OK: audit trail verified: ${summary}${anchor ? `; ${anchored} new anchors recorded` : ""}.`);
    for (const h of result.heads) console.log(formatExternalAnchor(h));
  } else {
    console.error(`FAILED: audit trail verification found ${result.breaks.length} broken chain(s) (${summary}).`);
    console.error(`First broken: ${describeAuditChainBreak(result.breaks[0]!)}`);
    for (const b of result.breaks.slice(1)) console.error(`Also broken: ${describeAuditChainBreak(b)}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
