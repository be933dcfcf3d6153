// Whether the Next production build is older than its sources: `npm start` and the test
// harness rebuild only then.
import fs from "node:fs";
import path from "node:path";

export const BUILD_SOURCES = ["app", "components", "lib", "public", "prisma", "runtime", "next.config.ts", "package-lock.json"];

export function newestMtime(target: string): number {
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

/** True when distDir has no build, or one older than a source. */
export function buildIsStale(root: string, distDir: string): boolean {
  const built = newestMtime(path.join(root, distDir, "BUILD_ID"));
  return built < Math.max(...BUILD_SOURCES.map((p) => newestMtime(path.join(root, p))));
}
