import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

// One row per sign-in. The session cookie (a JWT signed with AUTH_SECRET) carries a random 256-bit
// token; the row's id is that token's SHA-256, so neither the database nor an admin page holds
// anything that could be presented as a session. getActor() checks the row on every request:
// a revoked, expired or outdated (password changed) row is a signed-out request.
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // users.session_version when the session began; a later bump (password change) voids it.
    sessionVersion: integer("session_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
    revokedReason: text("revoked_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("user_sessions_user_id_idx").on(t.userId, t.createdAt),
    index("user_sessions_expires_at_idx").on(t.expiresAt),
    index("user_sessions_revoked_by_idx").on(t.revokedBy),
    check("user_sessions_id_check", sql`${t.id} ~ '^[0-9a-f]{64}$'`),
    check("user_sessions_expiry_check", sql`${t.expiresAt} > ${t.createdAt}`),
    check(
      "user_sessions_revoked_check",
      sql`(${t.revokedAt} is null) = (${t.revokedReason} is null) and ${t.revokedReason} in ('sign_out', 'sign_out_everywhere', 'admin', 'password_changed')`,
    ),
  ],
);

export type UserSession = typeof userSessions.$inferSelect;
export type NewUserSession = typeof userSessions.$inferInsert;
