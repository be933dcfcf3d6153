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
  ],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
