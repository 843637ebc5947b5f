import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";

// The README's webhook signature checks (section "API") are run here against what
// lib/jobs/webhooks.ts sends (the standardwebhooks package's signature), so the snippet a
// customer copies is known to accept our deliveries and refuse forged or stale ones.

const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
const block = (marker: string) => {
  const start = readme.indexOf(marker);
  if (start < 0) throw new Error(`README has no ${marker}`);
  const open = readme.lastIndexOf("```", start);
  const close = readme.indexOf("```", start);
  return readme.slice(readme.indexOf("\n", open) + 1, close);
};

const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
const id = "0b8f2a63-5f3c-4b3e-9f6a-2d1c7e4a9b10";
const body = JSON.stringify({ type: "invoice.issued", timestamp: "2026-12-04T10:00:00.000Z", data: { invoiceId: "x", number: "INV-2026-00042" } });

function signed(at: Date) {
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, at, body) };
}

describe("README: checking a webhook's signature", () => {
  it("the Node snippet accepts a delivery as we sign it and refuses a changed body, another secret and a stale timestamp", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "readme-webhook-"));
    const file = path.join(dir, "verify-webhook.mjs");
    writeFileSync(file, block("// verify-webhook.mjs"));
    const { verify } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { verify: (raw: string, headers: Record<string, string>, secret: string) => unknown };
    const headers = signed(new Date());
    expect(verify(body, headers, secret)).toEqual(JSON.parse(body));
    // Several signatures (a secret being rotated): any valid one will do.
    expect(verify(body, { ...headers, "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")} ${headers["webhook-signature"]}` }, secret)).toEqual(JSON.parse(body));
    expect(() => verify(body.replace("00042", "00043"), headers, secret)).toThrow("bad signature");
    expect(() => verify(body, headers, `whsec_${Buffer.from("another secret of 32 bytes......").toString("base64")}`)).toThrow("bad signature");
    expect(() => verify(body, signed(new Date(Date.now() - 10 * 60_000)), secret)).toThrow("timestamp too old or too new");
  });

  it("the openssl pipeline prints the signature we send", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "readme-webhook-"));
    writeFileSync(path.join(dir, "body.json"), body);
    const headers = signed(new Date());
    const printed = execFileSync("bash", ["-c", block("printf '%s.%s.'")], {
      cwd: dir,
      env: { ...process.env, WEBHOOK_ID: id, WEBHOOK_TIMESTAMP: headers["webhook-timestamp"], SECRET: secret },
      encoding: "utf8",
    });
    expect(`v1,${printed.trim()}`).toBe(headers["webhook-signature"]);
  });
});
