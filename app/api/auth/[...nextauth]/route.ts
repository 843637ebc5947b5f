// GET|POST /api/auth/*: next-auth endpoints (session, CSRF, sign-in callback, sign-out)
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
