// npm start's first step (scripts/start.mjs runs it, then server.ts): generate the Prisma
// client and build the app when missing or stale.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { buildIsStale, newestMtime } from "../lib/build-freshness";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", NEXT_TELEMETRY_DISABLED: "1" };

const schemaTime = newestMtime(path.join(root, "prisma", "schema.prisma"));
if (newestMtime(path.join(root, "lib", "generated", "prisma", "client.ts")) < schemaTime) {
  console.log("[tagpipe] generating the Prisma client");
  execFileSync(bin("prisma"), ["generate"], { stdio: "inherit", env });
}

if (buildIsStale(root, process.env.TAGPIPE_DIST_DIR ?? ".next")) {
  console.log("[tagpipe] building the dashboard (next build)");
  execFileSync(bin("next"), ["build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
}

