import { describe, expect, it } from "vitest";
import { deliveryAddressProblem, webhookUrlProblem } from "./webhook-url";

const strict = { allowHttpLocalhost: false };
const dev = { allowHttpLocalhost: true };

describe("webhookUrlProblem", () => {
  it("accepts public https URLs", () => {
    expect(webhookUrlProblem("https://erp.example.com/hooks/orderly?x=1", strict)).toBeNull();
    expect(webhookUrlProblem("https://203.0.113.10:8443/h", strict)).toBeNull();
  });

  it("refuses plain http, even to localhost, unless the configuration allows localhost", () => {
    expect(webhookUrlProblem("http://erp.example.com/h", strict)).toBe("The URL must start with https://.");
    expect(webhookUrlProblem("http://127.0.0.1:4000/h", strict)).toBe("The URL must start with https://.");
    expect(webhookUrlProblem("http://127.0.0.1:4000/h", dev)).toBeNull();
    expect(webhookUrlProblem("http://localhost:4000/h", dev)).toBeNull();
    expect(webhookUrlProblem("http://erp.example.com/h", dev)).toBe("The URL must start with https://.");
  });

  it("refuses private, loopback and link-local hosts (SSRF)", () => {
    const privateHost = "The URL must name a public host, not this machine or a private network.";
    for (const url of ["https://localhost/h", "https://127.0.0.1/h", "https://10.1.2.3/h", "https://172.16.0.1/h", "https://192.168.1.1/h", "https://169.254.169.254/latest", "https://[::1]/h", "https://[fd00::1]/h", "https://db.internal/h", "https://100.64.0.1/h"]) {
      expect(webhookUrlProblem(url, strict), url).toBe(privateHost);
    }
    expect(webhookUrlProblem("https://172.32.0.1/h", strict)).toBeNull();
  });

  it("refuses malformed URLs, credentials, fragments and dotless hosts", () => {
    expect(webhookUrlProblem("erp.example.com/h", strict)).toBe("Enter a full URL starting with https://.");
    expect(webhookUrlProblem("https://user:pw@erp.example.com/h", strict)).toBe("Leave credentials out of the URL; the signature authenticates each delivery.");
    expect(webhookUrlProblem("https://erp.example.com/h#x", strict)).toBe("Leave the #fragment out of the URL.");
    expect(webhookUrlProblem("https://intranet/h", strict)).toBe("The URL must name a public host (a domain with a dot).");
  });
});

describe("deliveryAddressProblem (the address a delivery connects to)", () => {
  const strictPolicy = { allowLoopback: false, allowPrivateNetworks: false };
  const loopbackOnly = { allowLoopback: true, allowPrivateNetworks: false };
  const privateToo = { allowLoopback: false, allowPrivateNetworks: true };

  it("refuses loopback, private, link-local, metadata and reserved addresses by default", () => {
    const loop = ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1", "::ffff:7f00:1"];
    for (const a of loop) expect(deliveryAddressProblem(a, strictPolicy), a).toBe(`refused: ${a} is this machine (loopback)`);
    const priv = ["10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
      "fd00:ec2::254", "fc00::1", "fe80::1", "fe80::1%eth0", "::", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "::127.0.0.1", "ff02::1"];
    for (const a of priv) expect(deliveryAddressProblem(a, strictPolicy), a).toBe(`refused: ${a} is a private, link-local or reserved address`);
    expect(deliveryAddressProblem("erp.example.com", strictPolicy)).toBe("not an IP address: erp.example.com");
  });

  it("allows public addresses", () => {
    for (const a of ["93.184.215.14", "172.32.0.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "100.128.0.1"]) {
      expect(deliveryAddressProblem(a, strictPolicy), a).toBeNull();
    }
  });

  it("opens loopback with WEBHOOK_ALLOW_HTTP_LOCALHOST and every private range with WEBHOOK_ALLOW_PRIVATE_NETWORKS", () => {
    expect(deliveryAddressProblem("127.0.0.1", loopbackOnly)).toBeNull();
    expect(deliveryAddressProblem("::1", loopbackOnly)).toBeNull();
    expect(deliveryAddressProblem("10.0.0.5", loopbackOnly)).toBe("refused: 10.0.0.5 is a private, link-local or reserved address");
    expect(deliveryAddressProblem("169.254.169.254", loopbackOnly)).toBe("refused: 169.254.169.254 is a private, link-local or reserved address");
    for (const a of ["127.0.0.1", "10.0.0.5", "169.254.169.254", "fd00::1"]) expect(deliveryAddressProblem(a, privateToo), a).toBeNull();
  });
});
