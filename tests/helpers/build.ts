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

/** Builds into distDir unless its BUILD_ID is newer than every source. */
export function ensureBuild(distDir: string): void {
  if (!buildIsStale(ROOT, distDir)) return;
  console.log(`[tests] no build, or sources changed since it: next build into ${distDir}`);
  const started = Date.now();
  execFileSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", TAGPIPE_DIST_DIR: distDir },
  });
  console.log(`[tests] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
