import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  // PGlite must stay external: bundled, its wasm path resolution breaks at run time and its
  // data files land in the public static folder (see shared/STACK-NOTES.md).
  serverExternalPackages: ["@electric-sql/pglite", "bcryptjs"],
  poweredByHeader: false,
};

export default nextConfig;
