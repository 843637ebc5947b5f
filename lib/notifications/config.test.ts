import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const secret = () => "generated-secret";
const prod = { NODE_ENV: "production", DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(32) } as const;

describe("mail configuration (lib/env.ts)", () => {
  it("keeps mail in the local mailbox by default for the quick start, not in production unless enabled", () => {
    expect(parseEnv({}, secret).localMailbox).toBe(true);
    expect(parseEnv(prod, secret).localMailbox).toBe(false);
    expect(parseEnv({ ...prod, MAIL_LOCAL_MAILBOX: "true" }, secret).localMailbox).toBe(true);
    expect(parseEnv({ MAIL_LOCAL_MAILBOX: "false" }, secret).localMailbox).toBe(false);
  });

  it("links to APP_URL, else AUTH_URL, else localhost on PORT, without a trailing slash", () => {
    expect(parseEnv({}, secret).appUrl).toBe("http://localhost:3000");
    expect(parseEnv({ PORT: "4100" }, secret).appUrl).toBe("http://localhost:4100");
    expect(parseEnv({ AUTH_URL: "https://auth.example.com/" }, secret).appUrl).toBe("https://auth.example.com");
    expect(parseEnv({ AUTH_URL: "https://auth.example.com", APP_URL: "https://orders.example.com/" }, secret).appUrl).toBe("https://orders.example.com");
  });

  it("takes smtp:// and smtps:// URLs only, and sends from the seller by default", () => {
    expect(parseEnv({ SMTP_URL: "smtps://u:p@mail.example.com:465" }, secret).SMTP_URL).toBe("smtps://u:p@mail.example.com:465");
    expect(() => parseEnv({ SMTP_URL: "https://mail.example.com" }, secret)).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(parseEnv({}, secret).mailFrom).toBe('"Orderly Demo Supplies GmbH" <orders@orderly.example>');
  });
});
