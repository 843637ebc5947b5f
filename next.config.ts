import type { NextConfig } from "next";
import { STATIC_CSP } from "./lib/http/content-security-policy";

// Sent on every response: pages, route handlers and static files. HSTS is safe to send over plain
// HTTP: browsers ignore it there (RFC 6797 §8.1), so local and e2e runs are unaffected and an
// HTTPS deployment gets it without extra configuration.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
];
// Content-Security-Policy: pages get a per-request nonce policy from proxy.ts; everything the
// proxy does not match gets the static one here, so no response carries two (two CSP headers
// both apply). These sources are the complement of proxy.ts's matcher: keep them in step.
const staticCsp = [{ key: "Content-Security-Policy", value: STATIC_CSP }];
const nonPageSources = ["/api/:path*", "/_next/:path*", "/:file(.*\\.(?:png|svg|jpg|ico|woff2|txt))"];

const nextConfig: NextConfig = {
  // The Dockerfile builds with NEXT_OUTPUT=standalone; `next start` (quick start, e2e) uses the normal output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // PGlite must stay external: bundled, its wasm path resolution breaks at run time and its
  // data files land in the public static folder (see shared/STACK-NOTES.md).
  // pg-boss (and its pg driver) load at run time like in Node, not bundled: it is the job worker's library.
  serverExternalPackages: ["@electric-sql/pglite", "bcryptjs", "pg-boss", "pg"],
  // The PDF worker thread (lib/pdf/render.ts) loads these at run time by path, out of the tracer's
  // sight: copy them into standalone output. pdfkit loads its standard fonts through a subpath
  // import that file tracing misses. (@react-pdf/renderer itself is traced through render.ts.)
  outputFileTracingIncludes: {
    "/*": [
      "./lib/pdf/*.mjs",
      "./node_modules/@fontsource/inter/files/inter-latin-{400,700}-normal.woff",
      "./node_modules/@fontsource/inter/files/inter-latin-ext-{400,700}-normal.woff",
      "./node_modules/pdfkit/js/standard-fonts/**/*.cjs",
    ],
  },
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }, ...nonPageSources.map((source) => ({ source, headers: staticCsp }))];
  },
  experimental: {
    // Product CSV imports (10,000+ rows) are uploaded through a server action.
    serverActions: { bodySizeLimit: "16mb" },
  },
};

export default nextConfig;
