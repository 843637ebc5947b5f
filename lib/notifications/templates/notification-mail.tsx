import { toHtml, toText } from "./static-markup";

// The one template set of notification mails (issue 13): every kind is a heading, a few lines that
// name the order or invoice, one button straight to it, and a footer. The same element becomes the
// HTML part and the text part (./static-markup.ts), so the two never drift apart.
// Inline styles only: mail clients drop <style> blocks and external CSS.

export type MailContent = {
  /** Shown above the body and used as the subject's tail. */
  heading: string;
  greeting: string;
  lines: string[];
  action: { label: string; url: string };
  /** Why this person gets this mail, and where to change it. */
  footer: string;
  seller: string;
};

const font = "Helvetica, Arial, sans-serif";

export function NotificationMail({ heading, greeting, lines, action, footer, seller }: MailContent) {
  return (
    <html lang="en">
      {/* A mail document, not a Next page: next/head does not apply here. */}
      {/* eslint-disable-next-line @next/next/no-head-element */}
      <head>
        <meta httpEquiv="Content-Type" content="text/html; charset=UTF-8" />
        <title>{heading}</title>
      </head>
      <body style={{ backgroundColor: "#f4f4f5", margin: 0, padding: "24px 0", fontFamily: font, color: "#18181b" }}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ maxWidth: 560, margin: "0 auto", backgroundColor: "#ffffff", borderRadius: 6 }}>
          <tbody>
            <tr>
              <td style={{ padding: "24px 32px" }}>
                <p style={{ fontSize: 13, color: "#52525b", margin: "0 0 16px" }}>{seller}</p>
                <h1 style={{ fontSize: 20, margin: "0 0 16px" }}>{heading}</h1>
                <p style={{ fontSize: 15, lineHeight: "22px", margin: "0 0 12px" }}>{greeting}</p>
                {lines.map((line, i) => (
                  <p key={i} style={{ fontSize: 15, lineHeight: "22px", margin: "0 0 12px" }}>
                    {line}
                  </p>
                ))}
                <p style={{ margin: "24px 0" }}>
                  <a href={action.url} style={{ backgroundColor: "#1d4ed8", color: "#ffffff", padding: "10px 18px", borderRadius: 4, textDecoration: "none", fontSize: 15 }}>
                    {action.label}
                  </a>
                </p>
                <p style={{ fontSize: 13, color: "#52525b", margin: "0 0 8px" }}>
                  Or open this link: <a href={action.url}>{action.url}</a>
                </p>
                <hr style={{ border: "none", borderTop: "1px solid #e4e4e7", margin: "24px 0 12px" }} />
                <p style={{ fontSize: 12, color: "#71717a", margin: 0 }}>{footer}</p>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

/** The HTML and plain-text parts of one mail. */
export async function renderMail(content: MailContent): Promise<{ html: string; text: string }> {
  const element = <NotificationMail {...content} />;
  return { html: `<!DOCTYPE html>${toHtml(element)}`, text: toText(element) };
}
