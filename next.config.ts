import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Dockerfile builds with NEXT_OUTPUT=standalone; `next start` (quick start, e2e) uses the normal output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // PGlite must stay external: bundled, its wasm path resolution breaks at run time and its
  // data files land in the public static folder (see shared/STACK-NOTES.md).
  serverExternalPackages: ["@electric-sql/pglite", "bcryptjs"],
  poweredByHeader: false,
  experimental: {
    // Product CSV imports (10,000+ rows) are uploaded through a server action.
    serverActions: { bodySizeLimit: "16mb" },
  },
};

export default nextConfig;
