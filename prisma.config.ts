// Prisma CLI configuration. Only `generate`, `validate` and `format` use it here:
// migrations are applied by scripts/migrate.ts through Prisma's WebAssembly schema
// engine, because the CLI's native engine cannot be downloaded on these machines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
