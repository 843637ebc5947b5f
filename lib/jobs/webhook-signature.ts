import { createHmac } from "node:crypto";

// Standard Webhooks v1 signatures with node:crypto's HMAC: the same bytes as the standardwebhooks
// library's Webhook#sign (the test checks them against it), which hashes in JavaScript
// (fast-sha256) and decodes the secret on every construction: about a tenth of the worker's CPU
// per delivery in the webhooks bench's profile.

const keys = new Map<string, Buffer>();

/** The HMAC key of a whsec_ secret (base64 after the prefix), decoded once per secret. */
function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
    // Endpoints are few; a process that saw very many secrets (rotations) starts over rather than grow.
    if (keys.size >= 10_000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The webhook-signature header: "v1," + base64(HMAC-SHA256(key, `${id}.${unix seconds}.${body}`)). */
export function signWebhook(secret: string, id: string, sentAt: Date, body: string): string {
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  return `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}
