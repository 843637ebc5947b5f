import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signWebhook } from "./webhook-signature";

describe("signWebhook", () => {
  it("signs exactly as the standardwebhooks library does, and its signatures verify", () => {
    const secrets = [`whsec_${Buffer.alloc(32, 7).toString("base64")}`, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"];
    const bodies = ['{"type":"invoice.issued","timestamp":"2026-12-04T10:00:00.000Z","data":{"number":"INV-2026-0001"}}', '{"data":{"name":"Müller & Søn – 10 €"}}', ""];
    const at = new Date("2026-12-04T10:00:00.999Z");
    for (const secret of secrets) {
      for (const body of bodies) {
        const id = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
        const ours = signWebhook(secret, id, at, body);
        expect(ours).toBe(new Webhook(secret).sign(id, at, body));
        if (body) expect(new Webhook(secret).verify(body, { "webhook-id": id, "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": signWebhook(secret, id, new Date(), body) })).toEqual(JSON.parse(body));
      }
    }
    // The Standard Webhooks specification's own example.
    expect(signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", new Date(1614265330_000), '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });
});
