// The Next production build the test servers run. `npm test` builds .next just before the
// integration tests, so they reuse it; a missing or stale build is rebuilt here.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./server";
import { buildIsStale } from "../../lib/build-freshness";

/** TAGPIPE_DIST_DIR when set (e.g. .next-test beside a developer's own .next), else .next. */
export function testDistDir(): string {
  return process.env.TAGPIPE_DIST_DIR || ".next";
}

/** Builds into distDir unless its BUILD_ID is newer than every source; `log` takes the progress lines. */
export function ensureBuild(distDir: string, log: (line: string) => void = console.log): void {
  if (!buildIsStale(ROOT, distDir)) return;
  log(`[tests] no build, or sources changed since it: next build into ${distDir}`);
  const started = Date.now();
  execFileSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
    cwd: ROOT,
    // The build's output goes where `log` writes: a caller printing figures on stdout keeps it clean.
    stdio: ["ignore", log === console.log ? "inherit" : 2, "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", TAGPIPE_DIST_DIR: distDir },
  });
  log(`[tests] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
