// npm start: generate the Prisma client and build the app when missing or stale, then
// run server.ts (which migrates, seeds and serves) in a Node process with the server's
// V8 flags, passing signals on and exiting as it exits.
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { buildIsStale, newestMtime } from "../lib/build-freshness";
import { SERVER_NODE_FLAGS } from "../lib/http/node-flags";

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

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--import", "tsx", path.join(root, "server.ts")], { cwd: root, stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
