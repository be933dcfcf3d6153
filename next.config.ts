import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database drivers load WebAssembly and native modules at run time: keep them out
  // of the bundle and require them from node_modules.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "@prisma/schema-engine-wasm",
    "esbuild",
    "bcryptjs",
    "pg-copy-streams",
  ],
  poweredByHeader: false,
  // Lets two builds (e.g. a test run and a running server) live side by side.
  distDir: process.env.TAGPIPE_DIST_DIR ?? ".next",
  typedRoutes: false,
};

export default nextConfig;
