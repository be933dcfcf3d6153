// npm start: scripts/start-prepare.ts (under tsx, in a process that exits: the Prisma
// client and the build when missing or stale, and server.ts bundled for plain Node), then
// the server — in this very process, so an idle `npm start` is npm and one Node process.
// Plain JavaScript on purpose, and the server bundled rather than run under tsx: tsx
// keeps esbuild services that ping their process every second — about 0.3 % of a core of
// an idle `npm start` (docs/benchmarks.md).
//
// The server's V8 flags (lib/http/node-flags.json) must be given when Node starts: the
// package.json start script passes them to this process. Started without them (`node
// scripts/start.mjs`), it runs the server in a child process with them, passing signals
// on and exiting as it exits.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.cwd();
const flags = JSON.parse(fs.readFileSync(path.join(root, "lib", "http", "node-flags.json"), "utf8"));
// Where scripts/start-prepare.ts writes the bundle.
const bundle = path.join(root, "node_modules", ".cache", "tagpipe", "server.mjs");

try {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start-prepare.ts")], { cwd: root, stdio: "inherit", env: process.env });
} catch (error) {
  process.exit(error.status ?? 1);
}

if (flags.every((flag) => process.execArgv.includes(flag))) {
  await import(pathToFileURL(bundle).href);
} else {
  const server = spawn(process.execPath, [...flags, bundle, ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env: process.env });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
