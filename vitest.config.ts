// Three test projects: `unit` (pure logic, no server), `integration` (real servers over
// real HTTP on PostgreSQL and PGlite, started once by the global setup), `e2e` (Chromium
// journeys). npm scripts run each with `vitest run --project <name>`.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const e2eSetup = "tests/e2e/global-setup.ts";

export default defineConfig({
  // "@/lib/…" as in tsconfig; a regex so "@prisma/…" packages are left alone.
  resolve: { alias: [{ find: /^@\//, replacement: root }] },
  test: {
    // Stopping the servers and dropping the database.
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
        // The browser runtime's per-container switches (declared in runtime/features.ts), all on.
        define: Object.fromEntries([...fs.readFileSync(new URL("runtime/features.ts", import.meta.url), "utf8").matchAll(/const (TAGPIPE_\w+): boolean/g)].map((m) => [m[1], "true"])),
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup.ts"],
          // Both servers are shared by every file, and the machine has two cores: two
          // files at a time keeps the servers busy without starving them.
          fileParallelism: true,
          maxWorkers: 2,
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          // The slot for the e2e harness (servers and Chromium), used once the file exists.
          globalSetup: fs.existsSync(new URL(e2eSetup, import.meta.url)) ? [e2eSetup] : [],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // A page waited for in Chromium (a client navigation, a server render) can take
          // seconds on a loaded 2-core machine; vitest's 1 s default failed there.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
