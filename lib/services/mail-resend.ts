import "server-only";
import { z } from "zod";
import { lockMail, setMailQueued } from "@/db/queries/notifications";
import { DomainError, notFound } from "@/lib/domain/errors";
import { uuidField } from "@/lib/domain/forms";
import { enqueueMails } from "@/lib/jobs/notifications";
import { startJobQueue } from "@/lib/jobs/queue";
import { defineMutation } from "@/lib/mutation";

// Sending a failed mail again (the Sent mail page, administrators): a mail whose send job ran out of
// retries (SMTP down for days, a refused address since fixed) goes back to queued with a new send job,
// both in this transaction with the audit row. It keeps its Message-ID: a recipient who did get an
// earlier attempt after all sees one message, not two. Only failed mails: a queued one has its job
// still, and a sent or stored one was delivered.

const statusWords: Record<string, string> = {
  queued: "it is queued and its send job will try it",
  sent: "it was sent already",
  stored: "it is in the local mailbox already",
};

export const resendMail = defineMutation({
  name: "mail.resend",
  entityType: "mail_message",
  permission: "mail.resend",
  idempotent: true,
  input: z.object({ mailId: uuidField("mail") }),
  async run(ctx, input) {
    // Locked, so two resends of the same mail (two tabs, two administrators) queue it once.
    const mail = await lockMail(ctx.tx, input.mailId);
    if (!mail) throw notFound("Mail", { entityType: "mail_message", entityId: input.mailId });
    if (mail.status !== "failed") {
      throw new DomainError("conflict", `Only a failed mail can be sent again: ${statusWords[mail.status] ?? `its status is ${mail.status}`}.`);
    }
    await setMailQueued(ctx.tx, mail.id);
    const boss = await startJobQueue({ worker: false });
    await enqueueMails(boss, ctx.tx, [mail.id]);
    await ctx.audit({
      action: "mail.resend",
      entityType: "mail_message",
      entityId: mail.id,
      companyId: null,
      before: { status: "failed", attempts: mail.attempts, lastError: mail.last_error },
      after: { status: "queued", recipient: mail.recipient, messageId: mail.message_id },
    });
    return { mailId: mail.id, status: "queued" as const, messageId: mail.message_id };
  },
});
