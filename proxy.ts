import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth.config";

// Convenience redirects only (anonymous → /login, customers away from /admin, staff to /admin).
// Every page, action and handler checks the actor itself; this is never the security boundary.
const { auth } = NextAuth(() => authConfig());

export default auth;

export const config = {
  matcher: ["/((?!api/health|api/auth|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|jpg|ico|woff2|txt)$).*)"],
};
