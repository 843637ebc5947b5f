import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const secret = () => "generated-secret";

describe("parseEnv", () => {
  it("runs with nothing set: embedded database, generated secret, demo data allowed", () => {
    const e = parseEnv({}, secret);
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.pgliteDir).toMatch(/\.data\/pglite$/);
    expect(e.authSecret).toBe("generated-secret");
    expect(e.seedDemoAllowed).toBe(true);
    expect(e.DEFAULT_CURRENCY).toBe("EUR");
    expect(e.SESSION_MAX_AGE_SECONDS).toBe(28_800);
  });

  it("requires AUTH_SECRET in production with a database server", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/app" }, secret)).toThrow(/AUTH_SECRET: required in production/);
  });

  it("never seeds demo users in production with a database server unless asked", () => {
    const base = { NODE_ENV: "production", DATABASE_URL: "postgres://db/app", AUTH_SECRET: "x".repeat(32) };
    expect(parseEnv(base, secret).seedDemoAllowed).toBe(false);
    expect(parseEnv({ ...base, SEED_DEMO_DATA: "true" }, secret).seedDemoAllowed).toBe(true);
  });

  it("takes the owner's URL only together with the app role's", () => {
    const both = parseEnv({ DATABASE_URL: "postgres://app:pw@db/orderly", DATABASE_OWNER_URL: "postgres://owner:pw@db/orderly" }, secret);
    expect(both.DATABASE_OWNER_URL).toBe("postgres://owner:pw@db/orderly");
    expect(() => parseEnv({ DATABASE_OWNER_URL: "postgres://owner:pw@db/orderly" }, secret)).toThrow(/DATABASE_OWNER_URL: set DATABASE_URL/);
    expect(() => parseEnv({ DATABASE_URL: "postgres://app:pw@db/orderly", DATABASE_OWNER_URL: "postgres://owner:pw@db/other" }, secret)).toThrow(
      /DATABASE_OWNER_URL: must name the same database/,
    );
  });

  it("names every invalid variable", () => {
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0", DEFAULT_CURRENCY: "euro", DATABASE_URL: "nope" }, secret)).toThrow(
      /DATABASE_URL[\s\S]*DATABASE_POOL_SIZE[\s\S]*DEFAULT_CURRENCY/,
    );
  });
});
