// The Next production build the test servers run. `npm test` builds .next just before the
// integration tests, so they reuse it; a missing or stale build is rebuilt here.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./server";

/** TAGPIPE_DIST_DIR when set (e.g. .next-test beside a developer's own .next), else .next. */
export function testDistDir(): string {
  return process.env.TAGPIPE_DIST_DIR || ".next";
}

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

const SOURCES = ["app", "components", "lib", "public", "prisma", "next.config.ts", "package-lock.json"];

/** Builds into distDir unless its BUILD_ID is newer than every source; `log` takes the progress lines. */
export function ensureBuild(distDir: string, log: (line: string) => void = console.log): void {
  const buildId = path.join(ROOT, distDir, "BUILD_ID");
  const built = newestMtime(buildId);
  const changed = Math.max(...SOURCES.map((p) => newestMtime(path.join(ROOT, p))));
  if (built >= changed) return;
  log(`[tests] ${built ? "sources changed since the last build" : "no build"}: next build into ${distDir}`);
  const started = Date.now();
  execFileSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
    cwd: ROOT,
    // The build's output goes where `log` writes: a caller printing figures on stdout keeps it clean.
    stdio: ["ignore", log === console.log ? "inherit" : 2, "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", TAGPIPE_DIST_DIR: distDir },
  });
  log(`[tests] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
