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

  it("makes session cookies Secure behind an https AUTH_URL only; without AUTH_URL next-auth decides per request", () => {
    expect(parseEnv({ AUTH_URL: "https://orders.example.com" }, secret).secureCookies).toBe(true);
    expect(parseEnv({ AUTH_URL: "http://localhost:3000" }, secret).secureCookies).toBe(false);
    expect(parseEnv({}, secret).secureCookies).toBeUndefined();
    expect(() => parseEnv({ AUTH_URL: "orders.example.com" }, secret)).toThrow(/AUTH_URL/);
  });
});

describe("TRUST_PROXY", () => {
  const trust = (value?: string) => parseEnv(value === undefined ? {} : { TRUST_PROXY: value }, secret).TRUST_PROXY;

  it("counts trusted proxies; unset and false mean none", () => {
    expect(trust()).toBe(0);
    expect(trust("false")).toBe(0);
    expect(trust("0")).toBe(0);
    expect(trust("1")).toBe(1);
    expect(trust("2")).toBe(2);
  });

  it('refuses "true", which used to trust the client\'s own first entry, and anything not a count', () => {
    expect(() => trust("true")).toThrow(/TRUST_PROXY: no longer "true"/);
    expect(() => trust("-1")).toThrow(/TRUST_PROXY/);
    expect(() => trust("1.5")).toThrow(/TRUST_PROXY/);
    expect(() => trust("lots")).toThrow(/TRUST_PROXY/);
  });

  it("trusts the socket peer header only when server.mjs says it is in front", () => {
    expect(parseEnv({}, secret).socketPeerHeader).toBe(false);
    expect(parseEnv({ ORDERLY_SOCKET_PEER_HEADER: "1" }, secret).socketPeerHeader).toBe(true);
  });
});
