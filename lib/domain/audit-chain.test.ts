import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AUDIT_CANONICAL_FIELDS,
  AUDIT_GENESIS_HASH,
  auditRowHash,
  canonicalAuditContent,
  describeAuditChainBreak,
  formatExternalAnchor,
  parseExternalAnchors,
  type AuditCanonicalRow,
} from "./audit-chain";

const row: AuditCanonicalRow = {
  id: "42",
  chain_id: "7",
  chain_seq: "3",
  occurred_at: "2026-12-04T01:02:03.000456Z",
  actor_type: "user",
  actor_id: "0b7c6f1e-8d1a-4c3e-9d55-2f1d3b0a9e11",
  actor_role: "finance",
  action: "payment.verify",
  entity_type: "payment",
  entity_id: "pay-1",
  company_id: null,
  diff: '{"after": {"status": "verified"}}',
  request_id: "req-1",
  ip: "203.0.113.7",
  user_agent: "Müller/1.0",
  outcome: "success",
};

describe("canonicalAuditContent", () => {
  it("is the tag and each field length-prefixed in the fixed order, NULL as '-'", () => {
    expect(canonicalAuditContent(row).toString("utf8")).toBe(
      "audit-v1" +
        "2:42" +
        "1:7" +
        "1:3" +
        "27:2026-12-04T01:02:03.000456Z" +
        "4:user" +
        "36:0b7c6f1e-8d1a-4c3e-9d55-2f1d3b0a9e11" +
        "7:finance" +
        "14:payment.verify" +
        "7:payment" +
        "5:pay-1" +
        "-" +
        "33:{\"after\": {\"status\": \"verified\"}}" +
        "5:req-1" +
        "11:203.0.113.7" +
        // ü is two bytes in UTF-8: the length counts bytes, as PostgreSQL's octet_length does.
        "11:Müller/1.0" +
        "7:success",
    );
    expect(AUDIT_CANONICAL_FIELDS).toHaveLength(16);
  });

  it("tells NULL, the empty string and a literal '-' apart", () => {
    const a = canonicalAuditContent({ ...row, entity_id: null });
    const b = canonicalAuditContent({ ...row, entity_id: "" });
    const c = canonicalAuditContent({ ...row, entity_id: "-" });
    expect(new Set([a.toString("hex"), b.toString("hex"), c.toString("hex")]).size).toBe(3);
  });

  it("cannot be forged by moving text from one field into its neighbour", () => {
    // With a plain separator, action "a|b" + entity "c" and action "a" + entity "b|c" would collide.
    const a = canonicalAuditContent({ ...row, action: "order.accept5:order", entity_type: "x" });
    const b = canonicalAuditContent({ ...row, action: "order.accept", entity_type: "5:orderx" });
    expect(a.equals(b)).toBe(false);
  });

  it("differs whenever text moves across a field boundary (property)", () => {
    // The forgery a separator invites: the same characters, split differently between two fields.
    const values = fc.array(fc.string({ maxLength: 8 }), { minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(values, fc.nat(14), fc.integer({ min: 1, max: 8 }), (vs, i, k) => {
        fc.pre(vs[i]!.length >= k);
        const moved = [...vs];
        moved[i] = vs[i]!.slice(0, vs[i]!.length - k);
        moved[i + 1] = vs[i]!.slice(vs[i]!.length - k) + vs[i + 1]!;
        const toRow = (xs: string[]) => Object.fromEntries(AUDIT_CANONICAL_FIELDS.map((n, idx) => [n, xs[idx]!])) as AuditCanonicalRow;
        expect(canonicalAuditContent(toRow(vs)).equals(canonicalAuditContent(toRow(moved)))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("auditRowHash", () => {
  it("is SHA-256 over the previous hash's 32 bytes, then the canonical content", () => {
    const expected = createHash("sha256").update(Buffer.alloc(32)).update(canonicalAuditContent(row)).digest("hex");
    expect(auditRowHash(AUDIT_GENESIS_HASH, row)).toBe(expected);
    expect(AUDIT_GENESIS_HASH).toBe("0".repeat(64));
  });

  it("changes with the previous hash and with any one field", () => {
    const base = auditRowHash(AUDIT_GENESIS_HASH, row);
    expect(auditRowHash("11".repeat(32), row)).not.toBe(base);
    for (const name of AUDIT_CANONICAL_FIELDS) {
      expect(auditRowHash(AUDIT_GENESIS_HASH, { ...row, [name]: `${row[name] ?? ""}x` })).not.toBe(base);
    }
  });

  it("matches a hash PostgreSQL's trigger computed for a known row", () => {
    // The database's own computation (audit_chain_content, sha256) of the same row, recorded below.
    expect(auditRowHash(AUDIT_GENESIS_HASH, row)).toBe(PG_VECTOR);
  });
});

describe("describeAuditChainBreak", () => {
  it("names the row, its chain and position", () => {
    expect(describeAuditChainBreak({ chainId: 3, chainSeq: "17", id: "901", problem: "content", detail: "changed" })).toBe("row id 901 (chain 3, seq 17): changed");
    expect(describeAuditChainBreak({ chainId: 3, chainSeq: "18", id: null, problem: "truncated", detail: "cut" })).toBe("missing row (chain 3, seq 18): cut");
  });
});

describe("external anchors", () => {
  it("reads back the head lines audit:verify prints, ignoring every other line", () => {
    const heads = [
      { chainId: 0, chainSeq: "8", hash: "ab".repeat(32) },
      { chainId: 63, chainSeq: "12345678901", hash: "0f".repeat(32) },
    ];
    const output = ["OK: audit trail verified: 9 rows in 2 of 64 chains.", ...heads.map(formatExternalAnchor), "head chain=1 seq=2 hash=nothex", ""].join("\n");
    expect(parseExternalAnchors(output)).toEqual(heads);
    expect(parseExternalAnchors("nothing here")).toEqual([]);
  });
});

// From audit_chain_content() of migration 0014 on PostgreSQL 15, for the row above (diff given as jsonb).
const PG_VECTOR = "c00a6ccd3292af47cfbf149b043f01b0692bcecd387236f5a7b3485e39625ec7";
