import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before lib/env parses the configuration: mail goes to the in-process SMTP sink below.
const SMTP_PORT = vi.hoisted(() => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.APP_URL = "https://orders.example.test/";
  process.env.MAIL_RETRY_DELAY_SECONDS = "1";
  process.env.JOBS_SUPERVISE_INTERVAL_SECONDS = "1";
  return port;
});

import { QUEUES, startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { relayOutbox } from "@/lib/jobs/webhooks";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { resetUserPassword } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, until } from "@/lib/testing/helpers";
import { testKey } from "@/lib/testing/invoices";
import { resendMail } from "@/lib/services/mail-resend";

// Sending a failed mail again (/admin/mail): failed → queued with one new send job in the same
// transaction as its audit row → sent through SMTP with the Message-ID it always had. Anything but
// a failed mail is refused with a reason; only administrators may; a replayed form acts once.

setupTestDatabase();

const received: { to: string; subject: string; messageId: string }[] = [];
let sink: SMTPServer | null = null;

type Row = { id: string; status: string; attempts: number; message_id: string; recipient: string; subject: string; last_error: string | null; sent_at: Date | null };
const mailRow = async (id: string) =>
  (await rows<Row>(sql`select id, status::text as status, attempts, message_id, recipient, subject, last_error, sent_at from mail_messages where id = ${id}::uuid`))[0]!;
const sendJobs = async (mailId: string) =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.sendMail} and data->>'mailId' = ${mailId}`))[0]!.n;
const resendAudits = async (mailId: string) =>
  rows<{ actor_role: string; outcome: string; diff: unknown }>(sql`select actor_role, outcome::text as outcome, diff from audit_events where action = 'mail.resend' and entity_id = ${mailId} order by id`);

/** A real mail (a password reset's notice, fanned out by the relay) that then ran out of retries. */
async function failedMail(): Promise<Row> {
  const admin = await actorByEmail("admin@demo.test");
  const email = `resend-${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.test`;
  const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role) values (${email}, 'Rita Resend', 'x', 'finance') returning id`);
  const reset = await runMutation(resetUserPassword, { actor: admin, request: request(), idempotencyKey: testKey("rs") }, { id: user!.id, password: "Resend-Passw0rd-2026!" });
  expect(reset.ok).toBe(true);
  // This relay, or the running worker's (a later test): either one fans the event out.
  await relayOutbox(await startJobQueue({ worker: false }));
  const [mail] = await until(
    "the notice's mail",
    () => rows<{ id: string }>(sql`select m.id from mail_messages m where m.recipient = ${email} and m.kind = 'password_changed'`),
    (r) => r.length === 1,
  );
  // What twelve failed retries leave: the mail failed, its job gone.
  await rows(sql`delete from pgboss.job where name = ${QUEUES.sendMail} and data->>'mailId' = ${mail!.id}`);
  await rows(sql`update mail_messages set status = 'failed', attempts = 13, last_error = 'connect ECONNREFUSED 127.0.0.1:25' where id = ${mail!.id}`);
  return mailRow(mail!.id);
}

beforeAll(async () => {
  await rows(sql`update outbox_events set relayed_at = coalesce(relayed_at, now()), notified_at = coalesce(notified_at, now()) where relayed_at is null or notified_at is null`);
  await rows(sql`update mail_messages set status = 'failed', last_error = 'left by an earlier test file' where status = 'queued'`);
  const boss = await startJobQueue({ worker: false });
  await boss.deleteQueuedJobs(QUEUES.sendMail);
  await stopJobQueue();
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(", ") : (mail.to?.text ?? "");
          received.push({ to, subject: mail.subject ?? "", messageId: mail.messageId ?? "" });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => sink!.listen(SMTP_PORT, "127.0.0.1", resolve));
  expect((sink.server.address() as AddressInfo).port).toBe(SMTP_PORT);
});
afterAll(async () => {
  await stopWorker();
  await stopJobQueue();
  const s = sink;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  await closePdfPool();
});

describe("resend a failed mail", () => {
  it("puts it back to queued with one new send job and an audit row, once per form; the worker then sends it with its own Message-ID", async () => {
    const mail = await failedMail();
    expect(mail.status).toBe("failed");
    expect(await sendJobs(mail.id)).toBe(0);
    const admin = await actorByEmail("admin@demo.test");
    const key = testKey("resend");

    const result = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: key }, { mailId: mail.id });
    expect(result).toEqual({ ok: true, data: { mailId: mail.id, status: "queued", messageId: mail.message_id } });
    const queued = await mailRow(mail.id);
    expect(queued).toMatchObject({ status: "queued", attempts: 13, message_id: mail.message_id, sent_at: null });
    expect(await sendJobs(mail.id)).toBe(1);
    const audits = await resendAudits(mail.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_role: "admin", outcome: "success" });
    expect(JSON.stringify(audits[0]!.diff)).toContain("failed");

    // The same form posted again (a double click, a retry): the stored answer, nothing more.
    const again = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: key }, { mailId: mail.id });
    expect(again).toEqual(result);
    expect(await sendJobs(mail.id)).toBe(1);
    expect(await resendAudits(mail.id)).toHaveLength(1);

    await startWorker();
    const sent = await until("the resent mail to be marked sent", () => mailRow(mail.id), (m) => m.status === "sent");
    expect(sent).toMatchObject({ status: "sent", attempts: 14, message_id: mail.message_id, last_error: null });
    const got = received.filter((m) => m.to === mail.recipient);
    expect(got).toEqual([{ to: mail.recipient, subject: mail.subject, messageId: mail.message_id }]);
  });

  it("refuses a mail that is not failed, with the reason, and changes nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const mail = await failedMail();
    await rows(sql`update mail_messages set status = 'sent', sent_at = now(), last_error = null where id = ${mail.id}`);
    const sent = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: testKey("resend") }, { mailId: mail.id });
    expect(sent).toEqual({ ok: false, code: "conflict", error: "Only a failed mail can be sent again: it was sent already." });
    await rows(sql`update mail_messages set status = 'queued', sent_at = null where id = ${mail.id}`);
    const queued = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: testKey("resend") }, { mailId: mail.id });
    expect(queued).toEqual({ ok: false, code: "conflict", error: "Only a failed mail can be sent again: it is queued and its send job will try it." });
    expect((await mailRow(mail.id)).status).toBe("queued");
    expect(await sendJobs(mail.id)).toBe(0);
    expect(await resendAudits(mail.id)).toEqual([]);

    const missing = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: testKey("resend") }, { mailId: "00000000-0000-4000-8000-000000000000" });
    expect(missing).toMatchObject({ ok: false, code: "not_found" });
    const bad = await runMutation(resendMail, { actor: admin, request: request(), idempotencyKey: testKey("resend") }, { mailId: "nope" });
    expect(bad).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { mailId: ["Choose a valid mail."] } });
  });

  it("is the administrator's only: finance and customers are refused (and the refusal audited), the mail stays failed", async () => {
    const mail = await failedMail();
    for (const email of ["finance@demo.test", "sales@demo.test", "approver@acme.test"]) {
      const r = await runMutation(resendMail, { actor: await actorByEmail(email), request: request(), idempotencyKey: testKey("resend") }, { mailId: mail.id });
      expect(r).toEqual({ ok: false, code: "forbidden", error: "You are not allowed to do this." });
    }
    expect((await mailRow(mail.id)).status).toBe("failed");
    expect(await sendJobs(mail.id)).toBe(0);
    const [denied] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'mail.resend' and outcome = 'denied' and actor_role in ('finance', 'sales', 'customer_admin') and occurred_at > now() - interval '5 minutes'`);
    expect(denied!.n).toBeGreaterThanOrEqual(3);
  });
});
