import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "./webhook-url";

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
