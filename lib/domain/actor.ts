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
  /**
   * The API key this request came with (lib/api-v1/auth.ts). The actor is then the key's owner (id,
   * email, name) acting with the key's role and company; audit rows name the key as well.
   */
  apiKeyId?: string;
  apiKeyPrefix?: string;
};

/** Where a request came from, carried into every audit row it causes. */
export type RequestContext = {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};
