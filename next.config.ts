import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The Dockerfile builds with NEXT_OUTPUT=standalone; `next start` (quick start, e2e) uses the normal output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // PGlite must stay external: bundled, its wasm path resolution breaks at run time and its
  // data files land in the public static folder (see shared/STACK-NOTES.md).
  serverExternalPackages: ["@electric-sql/pglite", "bcryptjs"],
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
  experimental: {
    // Product CSV imports (10,000+ rows) are uploaded through a server action.
    serverActions: { bodySizeLimit: "16mb" },
  },
};

export default nextConfig;
