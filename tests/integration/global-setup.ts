// Integration harness: a real Tagpipe server over real HTTP on a fresh database of the
// machine's PostgreSQL, shared by the specs (inject("servers")). The embedded PostgreSQL
// that `npm start` runs is the same engine and code path; the specs that are about it
// (first-user, embedded-postgres, collector-crash) start servers on it of their own.
// Teardown stops the server and drops the database, also when setup fails half-way.
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
    // Webhook destinations in the specs point at local stand-ins (http on 127.0.0.1).
    const common = { distDir, env: { TAGPIPE_OPEN_SIGNUP: "1", TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "1" } };
    const postgres = await startServer({ ...common, name: "postgres", backend: "postgres", databaseUrl: database.url });
    servers.push(postgres);
    console.log(`[tests] server ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${postgres.url} (PostgreSQL ${database.name})`);
    const provided: TestServer[] = [{ name: "postgres", url: postgres.url, databaseUrl: database.url, dataDir: postgres.dataDir }];
    project.provide("servers", provided);
    project.provide("distDir", distDir);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
