import "server-only";
import type { DbOrTx } from "@/db/client";
import { activeUser, keyAudience } from "@/db/queries/notifications-fan-out";
import { isInternalEventType } from "@/lib/domain/webhook-events";
import { env } from "@/lib/env";
import type { OutboxRow, Plan } from "./fan-out";

// Security notices (issue 13: "security mails cannot be turned off"): a password change, every
// session signed out, an API key made on one's account or company. The mutations write them to the
// outbox in their own transaction (lib/services/users.ts, sessions.ts, api-keys.ts) as internal
// events, which the relay never delivers to webhook endpoints (db/queries/webhooks.ts); plansFor hands
// them here. Their kinds are mandatory mails (kinds.ts). A notice says what happened and when, and
// what to do if it was not the reader; it never carries a secret (an API key is named by its name
// and prefix, which the API keys page shows too).

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));

/** When it happened, unambiguous for any reader: the event's time in UTC. */
export function securityTime(at: Date): string {
  const day = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(at);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return `${day} at ${time} UTC`;
}

function footer(): string {
  return `You receive this security notice because of your account with ${env().SELLER_NAME}. Security notices cannot be turned off.`;
}

/** Whom to turn to when it was not you: customers their company's administrator and the seller, staff the administrator. */
function notYou(seller: string): string {
  return `If this was not you, tell your administrator or ${seller} at once: someone else may be using your account. Do not reply with your password; nobody will ask for it.`;
}

/** The plans of a security event; [] for any other event (plansFor's default). */
export async function securityPlans(tx: DbOrTx, event: OutboxRow): Promise<Plan[]> {
  if (!isInternalEventType(event.type)) return [];
  const d = event.payload;
  const when = securityTime(event.occurredAt);
  const seller = env().SELLER_NAME;
  const account = { portalPath: "/account", adminPath: "/admin/account", actionLabel: "Open your account", attachments: [], addresses: [], footer: footer() };

  switch (event.type) {
    case "security.password_changed": {
      const byAdmin = str(d.by) === "admin";
      return [
        {
          kind: "password_changed",
          people: await activeUser(tx, str(d.userId)),
          title: "Your password was changed",
          body: [
            `The password of your account was changed ${byAdmin ? "by an administrator" : "from your account page"} on ${when}.`,
            "Every session of your account was signed out: sign in again with the new password.",
            notYou(seller),
          ],
          ...account,
        },
      ];
    }
    case "security.sessions_ended": {
      const byAdmin = str(d.reason) === "admin";
      const n = Number(d.sessions) || 0;
      return [
        {
          kind: "sessions_ended",
          people: await activeUser(tx, str(d.userId)),
          title: "You were signed out everywhere",
          body: [
            `${byAdmin ? "An administrator signed" : "You signed"} your account out of all its sessions (${n} ${n === 1 ? "session" : "sessions"}) on ${when}.`,
            "Sign in again to continue; your password is unchanged.",
            notYou(seller),
          ],
          ...account,
        },
      ];
    }
    case "security.api_key_created": {
      const companyKey = event.companyId !== null;
      const keyName = str(d.name);
      const prefix = str(d.prefix);
      const expires = d.expiresAt ? securityTime(new Date(str(d.expiresAt))) : null;
      return [
        {
          kind: "api_key_created",
          people: await keyAudience(tx, str(d.createdBy), event.companyId),
          title: `API key "${keyName}" was created`,
          body: [
            `An API key named "${keyName}" (prefix ${prefix}) was created ${companyKey ? "for your company" : "on your account"} by ${str(d.createdByName) || "a user"} on ${when}.`,
            `It acts as ${str(d.role).replace(/_/g, " ")} with the scopes ${str(d.scopes)}${expires ? ` and expires on ${expires}` : " and does not expire"}.`,
            `If you do not know this key, revoke it on the API keys page now and tell ${companyKey ? `your administrator and ${seller}` : "the other administrators"}.`,
          ],
          portalPath: "/account/api-keys",
          adminPath: "/admin/api-keys",
          actionLabel: "Open API keys",
          attachments: [],
          addresses: [],
          footer: footer(),
        },
      ];
    }
    default:
      // Not a security event (the low-stock digest is planned in fan-out.ts).
      return [];
  }
}
