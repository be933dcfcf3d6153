// Several processes on one PostgreSQL database (issue 16, "Several processes, one
// database"): `npm start` for the dashboard (forwarding nothing itself) and two `npm run
// collector` processes behind an imagined load balancer.
// - a publish made through the dashboard is served by both collector processes right
//   after it returns (NOTIFY tagpipe_config), a rollback too;
// - exactly one worker runs the scheduled jobs (lib/leader.ts), and another takes over
//   when it is SIGKILLed.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, uid } from "../helpers/api";
import { collectorEnv, startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, servedScript, type Pipeline } from "../helpers/pipeline";
import { startCollectorProcess, startWorker, type RunningWorker } from "../helpers/server";
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

describe("scheduled jobs", () => {
  it("run in exactly one worker; another takes over when it is SIGKILLed", { timeout: 120_000 }, async () => {
    const env = { ...standIns.env(), TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY, TAGPIPE_LEADER_RETRY_MS: "300", TAGPIPE_ALERT_INTERVAL_MS: "1000" };
    const workers = await Promise.all(["jobs-a", "jobs-b"].map((name) => startWorker({ name, databaseUrl: dashboard.databaseUrl, env })));
    running.push(...workers);
    const leads = (w: RunningWorker) => w.output().includes(`[leader] pid ${w.pid} runs the scheduled jobs`);
    const leader = await eventually(async () => workers.find(leads), 20_000, "a leader");
    const other = workers.find((w) => w !== leader)!;

    // Alert intervals, each claimed once (AlertRun's key), all by the leader.
    const runs = async () => dashboard.query<{ intervalStart: Date; claimedBy: string }>(`SELECT "intervalStart", "claimedBy" FROM "AlertRun" ORDER BY "intervalStart"`);
    const pidOf = (claimant: string) => Number(claimant.split(":").at(-2));
    const seen = await eventually(async () => {
      const rows = (await runs()).filter((r) => [leader.pid, other.pid].includes(pidOf(r.claimedBy)));
      return rows.length >= 3 && rows;
    }, 20_000, "three alert intervals evaluated");
    expect(new Set(seen.map((r) => pidOf(r.claimedBy)))).toEqual(new Set([leader.pid]));
    expect(leads(other), "the other worker stands by").toBe(false);
    expect(other.output()).toContain(`[leader] pid ${other.pid} standing by`);

    const killedAt = Date.now();
    await leader.kill("SIGKILL");
    await eventually(async () => leads(other), 20_000, "the other worker to take over");
    console.log(`[leader] taken over ${Date.now() - killedAt} ms after the leader's SIGKILL`);
    const after = await eventually(async () => {
      const rows = (await runs()).filter((r) => pidOf(r.claimedBy) === other.pid);
      return rows.length >= 2 && rows;
    }, 20_000, "the new leader's alert intervals");
    expect(after.every((r) => r.intervalStart.getTime() > seen.at(-1)!.intervalStart.getTime())).toBe(true);
    // Every interval once, from beginning to end.
    const all = (await runs()).map((r) => r.intervalStart.getTime());
    expect(new Set(all).size).toBe(all.length);
  });
});
