import { describe, expect, it } from "vitest";
import { renderMail } from "./notification-mail";

const content = {
  heading: "Invoice INV-2026-000007 for order ORD-ABC",
  greeting: "Hello Nora <N> & co,",
  lines: ["Invoice INV-2026-000007 has been issued: €12.00, due on 2027-01-03."],
  action: { label: "Open order ORD-ABC", url: "https://orders.example.test/orders/1?a=1&b=2" },
  footer: "You receive this because of your account.",
  seller: "Orderly Demo Supplies GmbH",
};

describe("notification mail template", () => {
  it("renders one element to escaped HTML with inline styles and the link", async () => {
    const { html } = await renderMail(content);
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html).toContain("<title>Invoice INV-2026-000007 for order ORD-ABC</title>");
    expect(html).toContain("Hello Nora &lt;N&gt; &amp; co,");
    expect(html).toContain('href="https://orders.example.test/orders/1?a=1&amp;b=2"');
    expect(html).toContain('style="font-size:20px;margin:0 0 16px"');
    expect(html).toContain('cellpadding="0"');
    expect(html).not.toContain("<script");
  });

  it("renders the same element as plain text: blocks on lines, links spelled out, no head", async () => {
    const { text } = await renderMail(content);
    expect(text).toBe(
      [
        "Orderly Demo Supplies GmbH",
        "",
        "INVOICE INV-2026-000007 FOR ORDER ORD-ABC",
        "",
        "Hello Nora <N> & co,",
        "",
        "Invoice INV-2026-000007 has been issued: €12.00, due on 2027-01-03.",
        "",
        "Open order ORD-ABC: https://orders.example.test/orders/1?a=1&b=2",
        "",
        "Or open this link: https://orders.example.test/orders/1?a=1&b=2",
        "",
        "---",
        "",
        "You receive this because of your account.",
        "",
      ].join("\n"),
    );
  });
});
