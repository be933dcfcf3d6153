// Integration harness: two real Tagpipe servers over real HTTP, one on a fresh database
// of the real PostgreSQL and one on embedded PGlite in a fresh data dir. Every spec runs
// against both (describe.each over inject("servers")). Teardown stops both servers and
// drops the database, also when setup fails half-way.
import type { TestProject } from "vitest/node";
import "../helpers/context";
import type { TestServer } from "../helpers/context";
import { ensureBuild, testDistDir } from "../helpers/build";
import { createDatabase, dropDatabase } from "../helpers/postgres";
import { startServer, type RunningServer } from "../helpers/server";

export default async function setup(project: TestProject) {
  const distDir = testDistDir();
  ensureBuild(distDir);

  const servers: RunningServer[] = [];
  let database: { name: string; url: string } | null = null;
  const teardown = async () => {
    const started = Date.now();
    await Promise.allSettled(servers.map((s) => s.stop()));
    if (database) await dropDatabase(database.name);
    console.log(`[tests] servers stopped and database dropped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  try {
    const started = Date.now();
    database = await createDatabase();
    const common = { distDir, env: { TAGPIPE_OPEN_SIGNUP: "1" } };
    // allSettled, not all: when one fails, the other must have finished starting before
    // teardown stops it.
    const results = await Promise.allSettled([
      startServer({ ...common, name: "postgres", backend: "postgres", databaseUrl: database.url }),
      startServer({ ...common, name: "pglite", backend: "pglite" }),
    ]);
    for (const r of results) if (r.status === "fulfilled") servers.push(r.value);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    const [postgres, pglite] = servers;
    console.log(`[tests] servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${postgres.url} (PostgreSQL ${database.name}), ${pglite.url} (PGlite)`);
    const provided: TestServer[] = [
      { name: "postgres", url: postgres.url, databaseUrl: database.url, dataDir: postgres.dataDir },
      { name: "pglite", url: pglite.url, databaseUrl: null, dataDir: pglite.dataDir },
    ];
    project.provide("servers", provided);
    project.provide("distDir", distDir);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
