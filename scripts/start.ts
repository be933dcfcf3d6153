// npm start: generate the Prisma client and build the app when missing or stale, then
// run server.ts (which migrates, seeds and serves).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", NEXT_TELEMETRY_DISABLED: "1" };

const schemaTime = newestMtime(path.join(root, "prisma", "schema.prisma"));
if (newestMtime(path.join(root, "lib", "generated", "prisma", "client.ts")) < schemaTime) {
  console.log("[tagpipe] generating the Prisma client");
  execFileSync(bin("prisma"), ["generate"], { stdio: "inherit", env });
}

const buildId = path.join(root, process.env.TAGPIPE_DIST_DIR ?? ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "public", "prisma", "next.config.ts", "package-lock.json"].map((p) =>
  newestMtime(path.join(root, p)),
);
if (newestMtime(buildId) < Math.max(...sources)) {
  console.log("[tagpipe] building the dashboard (next build)");
  execFileSync(bin("next"), ["build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
}

await import("../server");
