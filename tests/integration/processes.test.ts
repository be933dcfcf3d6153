// Several processes on one PostgreSQL database (issue 16, "Several processes, one
// database"): `npm start` for the dashboard (forwarding nothing itself) and two `npm run
// collector` processes behind an imagined load balancer.
// - a publish made through the dashboard is served by both collector processes right
//   after it returns (NOTIFY tagpipe_config), a rollback too.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, uid } from "../helpers/api";
import { collectorEnv, startCollector, type Collector } from "../helpers/collector";
import { createPipeline, servedScript, type Pipeline } from "../helpers/pipeline";
import { startCollectorProcess, type RunningWorker } from "../helpers/server";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const ENCRYPTION_KEY = randomBytes(32).toString("base64");

let standIns: StandIns;
let dashboard: Collector;
let p: Pipeline;
const running: RunningWorker[] = [];

/** `npm run collector` on the dashboard's database. */
async function collectorProcess(name: string, env: Record<string, string> = {}) {
  const c = await startCollectorProcess({
    name,
    databaseUrl: dashboard.databaseUrl,
    env: collectorEnv(standIns, { TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY, ...env }),
  });
  running.push(c);
  return c;
}

beforeAll(async () => {
  standIns = await startStandIns();
  dashboard = await startCollector({ name: "processes", backend: "postgres", distDir: inject("distDir"), standIns, env: { TAGPIPE_WORKER: "0", TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY } });
  p = await createPipeline(dashboard.url, [{ platform: "meta" }]);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.splice(0).map((c) => c.kill()));
  await dashboard?.stop();
  await standIns?.close();
});

describe("a publish", () => {
  it("is served by every collector process right after it returns; a rollback too", { timeout: 90_000 }, async () => {
    const [a, b] = await Promise.all([collectorProcess("publish-a"), collectorProcess("publish-b")]);
    const api = p.team.owner;
    const key = p.production.publicKey;
    // Both processes have the current script cached (a second fetch is served from the cache).
    const first = await servedScript(a.url, key);
    expect(await servedScript(b.url, key)).toBe(first);
    expect(await servedScript(a.url, key)).toBe(first);
    expect(await servedScript(b.url, key)).toBe(first);

    expectStatus(await api.post(`/containers/${p.containerId}/variables`, { name: `page ${uid()}`, definition: { kind: "constant", value: uid() } }), 201);
    const v2 = expectStatus(await api.post(`/containers/${p.containerId}/versions`, { note: "v2" }), 201);
    const published = expectStatus(await api.post(`/versions/${v2.id}/publish`, { environmentId: p.production.id }), 201);
    expect(published.script.hash).not.toBe(first);
    // Right after the publish returned: no wait, no retry.
    const [servedA, servedB] = await Promise.all([servedScript(a.url, key), servedScript(b.url, key)]);
    expect([servedA, servedB]).toEqual([published.script.hash, published.script.hash]);

    const back = expectStatus(await api.post(`/versions/${p.versionId}/publish`, { environmentId: p.production.id }), 201);
    expect(back.rollback).toBe(true);
    expect([await servedScript(a.url, key), await servedScript(b.url, key)]).toEqual([first, first]);
  });
});
