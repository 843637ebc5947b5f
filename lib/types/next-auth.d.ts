import type { DefaultSession } from "next-auth";
import type { Role } from "@/lib/domain/roles";

declare module "next-auth" {
  interface User {
    role?: Role;
    companyId?: string | null;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; role: Role; companyId: string | null; sessionVersion: number } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    companyId?: string | null;
    sessionVersion?: number;
  }
}
