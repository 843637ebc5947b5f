import type { Role } from "@/lib/domain/roles";

/** Who is acting: a signed-in user as loaded fresh from the database for this request. */
export type Actor = {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string | null;
  /** The server-side session this request came with (user_sessions.id); absent for scripts and tests. */
  sessionId?: string;
};

/** Where a request came from, carried into every audit row it causes. */
export type RequestContext = {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};
