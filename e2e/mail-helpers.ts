import { expect, type Page } from "@playwright/test";
import { visit } from "./admin-helpers";

// The local mailbox (Staff → Sent mail, admin only) as the e2e server keeps it: no SMTP_URL, so each
// notification mail is stored there by the job worker, a few seconds after the change that caused
// it (outbox → relay → send job). Tests find their own mails by a search term of their own (an
// order reference, a unique email, a payment reference): both workers write mails at the same time.

/** The mail's row in the Sent mail list: recipient and subject exactly. */
function mailRow(admin: Page, to: string, subject: string) {
  return admin
    .getByRole("row")
    .filter({ has: admin.getByRole("cell", { name: to, exact: true }) })
    .filter({ has: admin.getByRole("link", { name: subject, exact: true }) });
}

const mailList = (search: string) => `/admin/mail?q=${encodeURIComponent(search)}`;

/**
 * Waits until the Sent mail list, searched for `search`, shows exactly one mail to `to` with this
 * subject, stored in the local mailbox; then opens it. Each try reloads the list (the mail arrives
 * asynchronously); the test's timeout bounds the wait.
 */
export async function openMail(admin: Page, m: { search: string; to: string; subject: string }): Promise<void> {
  const row = mailRow(admin, m.to, m.subject);
  await expect(async () => {
    await visit(admin, mailList(m.search));
    expect(await row.count(), `mails to ${m.to} with subject "${m.subject}"`).toBe(1);
    expect(await row.getByRole("cell").nth(3).innerText(), "status of the mail").toBe("Stored");
  }).toPass();
  await row.getByRole("link", { name: m.subject, exact: true }).click();
  await expect(admin).toHaveURL(/\/admin\/mail\/[0-9a-f-]{36}$/);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(m.subject);
  await expect(admin.getByTestId("mail-to")).toHaveText(m.to);
  await expect(admin.getByTestId("mail-status")).toHaveText("Stored");
}

/** Asserts that the Sent mail list, searched for `search`, holds no mail to `to` with this subject. */
export async function expectNoMail(admin: Page, m: { search: string; to: string; subject: string }): Promise<void> {
  await visit(admin, mailList(m.search));
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Sent mail");
  await expect(mailRow(admin, m.to, m.subject)).toHaveCount(0);
}

/** On an open mail: its plain-text part. */
export const mailText = (admin: Page) => admin.getByTestId("mail-text");

/**
 * On an open mail: the address of the HTML part's button named `label`, which the plain-text part
 * carries too (as "Or open this link" does in the HTML).
 */
export async function mailLink(admin: Page, subject: string, label: string): Promise<string> {
  const html = admin.frameLocator(`iframe[title="HTML body of ${subject.replace(/"/g, '\\"')}"]`);
  const button = html.getByRole("link", { name: label, exact: true });
  await expect(button).toHaveCount(1);
  const href = (await button.getAttribute("href"))!;
  await expect(html.getByRole("link", { name: href, exact: true })).toHaveAttribute("href", href);
  await expect(mailText(admin)).toContainText(href);
  return href;
}

/** The header's notifications menu of a freshly loaded page: its unread count, as its accessible name says it. */
export async function expectUnread(page: Page, unread: number): Promise<void> {
  await expect(page.getByTestId("notifications-menu")).toHaveAccessibleName(unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`);
  if (unread === 0) await expect(page.getByTestId("notifications-unread")).toHaveCount(0);
  else await expect(page.getByTestId("notifications-unread")).toHaveText(String(unread));
}
