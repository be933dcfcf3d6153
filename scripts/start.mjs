// npm start: scripts/start-prepare.ts (under tsx: the Prisma client and the build when
// missing or stale), then server.ts (which migrates, seeds and serves) in a Node process
// with the server's V8 flags (lib/http/node-flags.json), passing signals on and exiting as
// it exits. Plain JavaScript on purpose: this process only waits, and under tsx it kept an
// esbuild service that pinged it every second — about 0.35 % of a core of an idle
// `npm start` (docs/benchmarks.md).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const flags = JSON.parse(fs.readFileSync(path.join(root, "lib", "http", "node-flags.json"), "utf8"));

try {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start-prepare.ts")], { cwd: root, stdio: "inherit", env: process.env });
} catch (error) {
  process.exit(error.status ?? 1);
}

const server = spawn(process.execPath, [...flags, "--import", "tsx", path.join(root, "server.ts")], { cwd: root, stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
