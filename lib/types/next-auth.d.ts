import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/domain/roles";

declare module "next-auth" {
  interface User {
    role?: Role;
    companyId?: string | null;
    sessionVersion?: number;
    sessionToken?: string;
  }
  interface Session {
    user: { id: string; role: Role; companyId: string | null; sessionVersion: number; sid: string } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    companyId?: string | null;
    sessionVersion?: number;
    /** The server-side session's token (lib/services/sessions.ts); its hash is user_sessions.id. */
    sid?: string;
  }
}
