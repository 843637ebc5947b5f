import { describe, expect, it } from "vitest";
import { clientIpFromChain, normaliseIp } from "./client-ip";

describe("clientIpFromChain", () => {
  it("trusts no proxy by default: the socket address, whatever X-Forwarded-For says", () => {
    expect(clientIpFromChain(null, "127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientIpFromChain("1.1.1.1", "10.0.0.7", 0)).toBe("10.0.0.7");
    expect(clientIpFromChain("1.1.1.1, 2.2.2.2", "::1", 0)).toBe("::1");
  });

  it("with N trusted proxies takes the entry N from the right of [...X-Forwarded-For, socket]", () => {
    // One proxy (socket 10.0.0.2) appended the client it saw, 203.0.113.9; the client had sent a spoofed 1.1.1.1.
    expect(clientIpFromChain("1.1.1.1, 203.0.113.9", "10.0.0.2", 1)).toBe("203.0.113.9");
    // Two proxies: the CDN appended the client, the load balancer appended the CDN.
    expect(clientIpFromChain("1.1.1.1, 203.0.113.9, 198.51.100.4", "10.0.0.2", 2)).toBe("203.0.113.9");
    expect(clientIpFromChain("203.0.113.9, 198.51.100.4", "10.0.0.2", 1)).toBe("198.51.100.4");
  });

  it("a chain shorter than the proxies configured gives its left-most entry", () => {
    expect(clientIpFromChain(null, "10.0.0.2", 1)).toBe("10.0.0.2");
    expect(clientIpFromChain("203.0.113.9", "10.0.0.2", 5)).toBe("203.0.113.9");
  });

  it("with no socket address known (serverless), TRUST_PROXY=1 takes the platform's X-Forwarded-For entry and 0 gives null", () => {
    expect(clientIpFromChain("1.1.1.1, 203.0.113.9", null, 1)).toBe("203.0.113.9");
    expect(clientIpFromChain("203.0.113.9", null, 0)).toBeNull();
  });

  it("ignores empty hops and spaces, and refuses an entry that is not an IP", () => {
    expect(clientIpFromChain(" 1.1.1.1 ,, 203.0.113.9 ", "10.0.0.2", 1)).toBe("203.0.113.9");
    expect(clientIpFromChain("<script>, not-an-ip", "10.0.0.2", 1)).toBeNull();
    expect(clientIpFromChain(null, "", 0)).toBeNull();
  });
});

describe("normaliseIp", () => {
  it("turns IPv4-mapped IPv6 into IPv4, unwraps brackets, lowercases IPv6", () => {
    expect(normaliseIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseIp("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normaliseIp("1.2.3.4:5678")).toBeNull();
    expect(normaliseIp("999.1.1.1")).toBeNull();
  });
});
