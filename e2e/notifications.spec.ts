import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { createProduct, createUser, labelled, openAs, receiveStock, strongPassword, uid, visit } from "./admin-helpers";
import { login, roles } from "./fixtures";
import { expectNoMail, expectUnread, mailLink, mailText, openMail } from "./mail-helpers";
import { downloadPdfText } from "./pdf";

// Notifications end to end (issue 13): every step that waits on a person tells that person. One
// order of this suite's own goes through every approval stage, and at each step the mail that the
// step causes is read in the local mailbox (Staff → Sent mail; the e2e server has no SMTP_URL):
// the right recipient, a subject naming the order or invoice, a link that leads to the page where
// the recipient acts (followed as that person, who acts there), and the PDF attached. The buyer
// is new, so their in-app notifications are counted exactly.
//
// One journey in serial steps, each with its own time budget: on a loaded machine the whole
// journey takes longer than one slow test may. A failed step skips the ones after it.

const ACME = "Acme Industrial Supply";
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** "Mark as read" of one notification; its name ends in the title (screen-reader text). */
const markReadName = (title: string) => new RegExp(`^Mark as read\\s*:\\s*${escapeRegExp(title)}$`);

test.describe.serial("notifications of one order's journey", () => {
  test.slow(); // each step: three times the configured timeout

  type Session = { context: BrowserContext; page: Page };
  let admin: Session, buyer: Session, approver: Session, sales: Session, finance: Session;
  let a: Page, b: Page;
  let baseURL: string;
  let id: string;
  let email: string, name: string, sku: string;
  // What the steps find out, for the later ones.
  let orderId: string, reference: string, quotationNumber: string, invoiceNumber: string, po: string;
  let portalOrder: string, staffOrder: string;
  const subjects = { quotation: "", approved: "", invoice: "", verified: "" };

  test.beforeAll(async ({ browser, baseURL: url }) => {
    test.setTimeout(test.info().project.timeout * 3); // as slow as a step: it signs five people in and makes a product and a buyer
    baseURL = url!;
    id = uid();
    admin = await openAs(browser, baseURL, "admin");
    a = admin.page;
    sku = `NTF-${id}`;
    // 4 × €2,500.00 = €10,000.00 net, VAT 19% = €1,900.00: €11,900.00. Above the buyer's €1,000.00
    // order limit (the customer admin approves first) and at the €10,000.00 finance threshold (then
    // sales, then finance): every approval stage opens, one after the other.
    const productId = await createProduct(a, { sku, name: `E2E Notified Compressor ${id}`, basePrice: "2500.00", taxRate: "19" });
    await receiveStock(a, productId, 10);
    email = `e2e-notified-${id.toLowerCase()}@example.test`;
    name = `Nora Notified ${id}`;
    await createUser(a, { email, name, role: "Buyer", company: ACME, password: strongPassword });
    await labelled(a, "Limit per order").fill("1000.00");
    await a.getByRole("button", { name: "Save limits" }).click();
    await expect(a.getByText("Spending limits saved.")).toBeVisible();
    buyer = await openAs(browser, baseURL, null);
    b = buyer.page;
    await login(b, email, strongPassword);
    await expect(b.getByTestId("current-user")).toContainText(name);
    [approver, sales, finance] = await Promise.all([openAs(browser, baseURL, "customerAdmin"), openAs(browser, baseURL, "sales"), openAs(browser, baseURL, "finance")]);
  });

  test.afterAll(async () => {
    await Promise.all([admin, buyer, approver, sales, finance].filter(Boolean).map((s) => s.context.close()));
  });

  test("the quotation is mailed to the buyer with its PDF, and the link opens the order", async () => {
    await expectUnread(b, 0);
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 4`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId("cart-total")).toHaveText("€11,900.00");
    await b.getByRole("button", { name: "Request quotation" }).click();
    const submitted = /\/orders\/([0-9a-f-]{36})\?submitted=1$/;
    await expect(b).toHaveURL(submitted);
    orderId = submitted.exec(b.url())![1]!;
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    await expect(b.getByTestId("quotation-total")).toHaveText("€11,900.00");
    quotationNumber = (await b.getByTestId("quotation-number").innerText()).trim();
    expect(quotationNumber).toMatch(/^Q-\d{4}-\d{6}$/);
    reference = (await b.getByRole("heading", { level: 1 }).innerText()).trim();
    expect(reference).toMatch(/^ORD-[A-Z2-9]{8}$/);
    portalOrder = `${baseURL}/orders/${orderId}`;
    staffOrder = `${baseURL}/admin/orders/${orderId}`;

    subjects.quotation = `Quotation ${quotationNumber} for order ${reference}`;
    await openMail(a, { search: reference, to: email, subject: subjects.quotation });
    await expect(mailText(a)).toContainText(`Hello ${name},`);
    await expect(mailText(a)).toContainText(`Quotation ${quotationNumber} for your order ${reference} is ready: €11,900.00.`);
    const link = await mailLink(a, subjects.quotation, `Open order ${reference}`);
    expect(link).toBe(portalOrder);
    const pdf = await downloadPdfText(a, `Download ${quotationNumber}.pdf`);
    expect(pdf.text).toContain(quotationNumber);
    expect(pdf.text).toContain(sku);
    expect(pdf.text).toContain("Total €11,900.00");

    await visit(b, link);
    await expect(b).toHaveURL(portalOrder);
    await expect(b.getByRole("heading", { level: 1 })).toHaveText(reference);
    await expect(b.getByTestId("quotation-number")).toHaveText(quotationNumber);
    // Written with the mail, in the same transaction: the buyer's first notification.
    await expectUnread(b, 1);
  });

  test("each approval stage mails its approvers as it opens, and they approve from the link", async () => {
    // Accepted above the buyer's limit: the company's administrator is asked, and nobody else yet.
    po = `PO-N-${id}`;
    await labelled(b, "PO number").fill(po);
    await b.getByRole("button", { name: "Accept quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Waiting for your company's approval");
    const subject = `Order ${reference} waits for your approval`;
    await openMail(a, { search: reference, to: roles.customerAdmin.email, subject });
    await expect(mailText(a)).toContainText(`Hello ${roles.customerAdmin.name},`);
    await expect(mailText(a)).toContainText(`Order ${reference} of ${ACME} needs a company administrator approval before it can go ahead.`);
    const approverLink = await mailLink(a, subject, `Review order ${reference}`);
    expect(approverLink).toBe(portalOrder);
    await expectNoMail(a, { search: reference, to: roles.sales.email, subject });

    const c = approver.page;
    await visit(c, approverLink);
    await expect(c).toHaveURL(portalOrder);
    await expect(c.getByTestId("order-status")).toHaveText("Waiting for your company's approval");
    await c.getByRole("button", { name: "Approve order" }).click();
    await expect(c.getByTestId("order-status")).toHaveText("Waiting for seller approval");

    // The customer's approval opens the sales stage: sales is asked, finance not yet.
    await openMail(a, { search: reference, to: roles.sales.email, subject });
    await expect(mailText(a)).toContainText(`Hello ${roles.sales.name},`);
    await expect(mailText(a)).toContainText(`Order ${reference} of ${ACME} needs a sales approval before it can go ahead.`);
    const salesLink = await mailLink(a, subject, `Review order ${reference}`);
    expect(salesLink).toBe(staffOrder);
    await expectNoMail(a, { search: reference, to: roles.finance.email, subject });

    const s = sales.page;
    await visit(s, salesLink);
    await expect(s).toHaveURL(staffOrder);
    await labelled(s, "Comment").fill("Sales OK.");
    await s.getByRole("button", { name: "Approve order" }).click();
    await expect(s).toHaveURL(`${staffOrder}?done=approved-sales`);

    // The sales approval opens the finance stage.
    await openMail(a, { search: reference, to: roles.finance.email, subject });
    await expect(mailText(a)).toContainText(`Hello ${roles.finance.name},`);
    await expect(mailText(a)).toContainText(`Order ${reference} of ${ACME} needs a finance approval before it can go ahead.`);
    const financeLink = await mailLink(a, subject, `Review order ${reference}`);
    expect(financeLink).toBe(staffOrder);

    const f = finance.page;
    await visit(f, financeLink);
    await expect(f).toHaveURL(staffOrder);
    await labelled(f, "Comment").fill("Credit checked.");
    await f.getByRole("button", { name: "Approve order" }).click();
    await expect(f).toHaveURL(`${staffOrder}?done=approved`);
    await expect(f.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(f.getByTestId("invoice-total")).toHaveText("€11,900.00");
    invoiceNumber = (await f.getByTestId("invoice-number").innerText()).trim();
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
  });

  test("the buyer is told of the approval and gets the invoice with its PDF", async () => {
    subjects.approved = `Order ${reference} approved`;
    await openMail(a, { search: reference, to: email, subject: subjects.approved });
    await expect(mailText(a)).toContainText(`Your order ${reference} has been approved.`);
    expect(await mailLink(a, subjects.approved, `Open order ${reference}`)).toBe(portalOrder);

    subjects.invoice = `Invoice ${invoiceNumber} for order ${reference}`;
    await openMail(a, { search: reference, to: email, subject: subjects.invoice });
    const link = await mailLink(a, subjects.invoice, `Open order ${reference}`);
    expect(link).toBe(portalOrder);
    const pdf = await downloadPdfText(a, `Download ${invoiceNumber}.pdf`);
    expect(pdf.text).toContain(invoiceNumber);
    expect(pdf.text).toContain("Total €11,900.00");
    expect(pdf.text).toContain(`PO ${po}`);

    await visit(b, link);
    await expect(b).toHaveURL(portalOrder);
    await expect(b.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(b.getByTestId("invoice-number")).toHaveText(invoiceNumber);
    await expect(b.getByTestId("invoice-total")).toHaveText("€11,900.00");
    const due = (await b.getByTestId("invoice-due-date").innerText()).trim();
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(mailText(a)).toContainText(`Invoice ${invoiceNumber} for order ${reference} (${ACME}) has been issued: €11,900.00, due on ${due}.`);
    // The quotation, the approval and the invoice.
    await expectUnread(b, 3);
  });

  test("a remittance mails finance with a link to the payments page, and its verification mails the buyer", async () => {
    await visit(b, "/invoices");
    const paymentReference = (await b.getByTestId(`invoice-row-${invoiceNumber}`).getByText(/^RF\d{2}/).innerText()).trim();
    await labelled(b, "Amount").fill("11900.00");
    await labelled(b, `Amount for ${invoiceNumber}`).fill("11900.00");
    await labelled(b, "Payment reference").fill(paymentReference);
    await b.getByRole("button", { name: "Record payment" }).click();
    await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €11,900.00 recorded; we will verify it against our bank account.");

    const recorded = `Payment of €11,900.00 recorded for ${ACME}: invoice ${invoiceNumber}`;
    subjects.verified = `Your payment of €11,900.00 for invoice ${invoiceNumber} was verified`;
    // The subject names the invoice; the text the payment reference (this invoice's) and the order.
    await openMail(a, { search: paymentReference, to: roles.finance.email, subject: recorded });
    await expect(mailText(a)).toContainText(
      new RegExp(`A payment of €11,900\\.00 from ${ACME}, paid on \\d{4}-\\d{2}-\\d{2} with reference ${escapeRegExp(paymentReference)}, was recorded \\(remittance\\)\\.`),
    );
    await expect(mailText(a)).toContainText(`It pays invoice ${invoiceNumber} (order ${reference}).`);
    await expect(mailText(a)).toContainText("It waits for verification.");
    const paymentsLink = await mailLink(a, recorded, "Open payments");
    expect(paymentsLink).toBe(`${baseURL}/admin/payments`);

    const f = finance.page;
    await visit(f, paymentsLink);
    await expect(f).toHaveURL(paymentsLink);
    const payment = f.getByTestId("payment-row").filter({ hasText: invoiceNumber });
    await expect(payment).toHaveCount(1);
    await payment.getByRole("button", { name: "Verify payment" }).click();
    await expect(f.getByTestId("recent-payment-row").filter({ hasText: invoiceNumber })).toContainText("Verified");

    await openMail(a, { search: email, to: email, subject: subjects.verified });
    await expect(mailText(a)).toContainText(`with reference ${paymentReference}, was verified.`);
    const invoicesLink = await mailLink(a, subjects.verified, "Open your invoices");
    expect(invoicesLink).toBe(`${baseURL}/invoices`);
    await visit(b, invoicesLink);
    await expect(b.getByTestId(`invoice-row-${invoiceNumber}`)).toContainText("Paid");
    await expectUnread(b, 4);
  });

  test("the buyer's notifications hold the same four events; marking one, then all, read lowers the count", async () => {
    // Exactly four mails went to the buyer, and the in-app list holds the same four. (The approval
    // and the invoice come from one relay run, written at the same instant: their order between
    // themselves is not fixed, so the titles are compared as a set.)
    const titles = [subjects.verified, subjects.invoice, subjects.approved, subjects.quotation].sort();
    await visit(a, `/admin/mail?q=${encodeURIComponent(email)}`);
    const mails = a.getByRole("row").filter({ has: a.getByRole("cell", { name: email, exact: true }) }).getByRole("link");
    await expect(mails).toHaveCount(4);
    expect((await mails.allInnerTexts()).sort()).toEqual(titles);

    await b.getByTestId("notifications-menu").click();
    await expect(b).toHaveURL(`${baseURL}/notifications`);
    const list = b.getByRole("list", { name: "Notifications" });
    const items = list.getByRole("listitem").getByRole("link");
    await expect(items).toHaveCount(4);
    expect((await items.allInnerTexts()).sort()).toEqual(titles);
    await expect(items.first()).toHaveText(subjects.verified);
    await expect(items.last()).toHaveText(subjects.quotation);
    await expect(list.getByRole("link", { name: subjects.invoice, exact: true })).toHaveAttribute("href", `/orders/${orderId}`);
    await expect(list.getByRole("link", { name: subjects.verified, exact: true })).toHaveAttribute("href", "/invoices");

    await list.getByRole("button", { name: markReadName(subjects.quotation) }).click();
    await expectUnread(b, 3);
    await expect(list.getByRole("button", { name: markReadName(subjects.quotation) })).toHaveCount(0);
    await expect(list.getByRole("button", { name: /^Mark as read/ })).toHaveCount(3);
    await b.getByRole("button", { name: "Mark all as read" }).click();
    await expectUnread(b, 0);
    await expect(list.getByRole("button", { name: /^Mark as read/ })).toHaveCount(0);
    await expect(b.getByRole("button", { name: "Mark all as read" })).toHaveCount(0);
    await visit(b, "/notifications");
    await expectUnread(b, 0);
    await expect(list.getByRole("listitem")).toHaveCount(4);
  });
});
