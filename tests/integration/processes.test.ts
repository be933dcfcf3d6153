// Several processes on one PostgreSQL database (issue 16, "Several processes, one
// database"): `npm start` for the dashboard (forwarding nothing itself), two `npm run
// collector` processes behind an imagined load balancer, and `npm run worker`s.
// - a publish made through the dashboard is served by both collector processes right
//   after it returns (NOTIFY tagpipe_config), a rollback too;
// - a client spread over both collectors is held to the per-IP limit as a whole (429 with
//   Retry-After), counted in PostgreSQL, and in Redis when REDIS_URL is set — a burst that
//   reaches both processes in the same instant included;
// - exactly one worker runs the scheduled jobs (lib/leader.ts), and another takes over
//   when it is SIGKILLed.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, uid } from "../helpers/api";
import { collectorEnv, startCollector, type Collector } from "../helpers/collector";
import { collect, createPipeline, eventually, purchase, servedScript, type CollectReply, type Pipeline } from "../helpers/pipeline";
import { startCollectorProcess, startWorker, type RunningWorker } from "../helpers/server";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const PER_IP = 10;
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let standIns: StandIns;
let dashboard: Collector;
let p: Pipeline;
const running: RunningWorker[] = [];

/** `npm run collector` on the dashboard's database; TAGPIPE_TRUST_PROXY=1 lets each test be its own client address. */
async function collectorProcess(name: string, env: Record<string, string> = {}) {
  const c = await startCollectorProcess({
    name,
    databaseUrl: dashboard.databaseUrl,
    env: collectorEnv(standIns, { TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY, TAGPIPE_TRUST_PROXY: "1", TAGPIPE_COLLECT_RATE_PER_IP: String(PER_IP), ...env }),
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

/**
 * One client (its own address, through the trusted proxy header) sending purchases to both
 * processes in turn, six requests at a time, each sender waiting for its answer before
 * the next (so requests arrive as they are sent), for 4 s. Answers each reply with its
 * send time.
 */
async function spread(urls: string[]): Promise<{ at: number; reply: CollectReply }[]> {
  const beacon = { publicKey: p.production.publicKey, origin: p.origin };
  // A fresh process's first requests load the configuration and warm up: not under the clock.
  for (let i = 0; i < 3; i++) await Promise.all(urls.map((url) => collect(url, beacon, [purchase()], { "x-forwarded-for": "198.51.100.7" })));
  const ip = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
  const start = Date.now();
  const replies: { at: number; reply: CollectReply }[] = [];
  // About 60 requests a second, alternating between the processes: each alone sees 3× the limit.
  await Promise.all(
    Array.from({ length: 6 }, async (_, n) => {
      for (let i = n; Date.now() - start < 4000; i++) {
        const at = Date.now();
        replies.push({ at, reply: await collect(urls[i % urls.length], beacon, [purchase()], { "x-forwarded-for": ip }) });
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - at))));
      }
    }),
  );
  return replies;
}

/**
 * Per clock second (the limits' windows) with enough traffic: fewer accepted than the two
 * processes would let through alone (the limit each) — about the limit, give or take what
 * the client sends during one sync; refusals are 429 with Retry-After.
 */
function expectSharedLimit(replies: { at: number; reply: CollectReply }[]) {
  const windows = new Map<number, { sent: number; accepted: number }>();
  for (const { at, reply } of replies) {
    expect([202, 429], reply.text).toContain(reply.status);
    const w = windows.get(Math.floor(at / 1000)) ?? { sent: 0, accepted: 0 };
    w.sent++;
    if (reply.status === 202) w.accepted++;
    windows.set(Math.floor(at / 1000), w);
  }
  console.log(`[limits] per second: ${JSON.stringify([...windows.values()])} (limit ${PER_IP})`);
  // Seconds with enough traffic that each process alone would have let the limit through.
  const busy = [...windows.values()].filter((w) => w.sent >= 2 * PER_IP + 4);
  expect(busy.length).toBeGreaterThan(0);
  // (Counted by send time, so a request sent at a second's end may count in the next window.)
  for (const w of busy) expect(w.accepted).toBeLessThan(2 * PER_IP);
  const refused = replies.filter((r) => r.reply.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect(Number(r.reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(r.reply.body.error.code).toBe("rate_limited");
  }
}

/**
 * One burst from a fresh address: 3× the limit at each process in the same instant, sent
 * just after a window (a clock second) begins so it stays within it. Each process alone
 * would let the limit through before hearing of the other. Answers how many were accepted;
 * a burst whose answers straddle a second is sent again from another address.
 */
async function burst(urls: string[]): Promise<number> {
  const beacon = { publicKey: p.production.publicKey, origin: p.origin };
  for (let i = 0; i < 3; i++) await Promise.all(urls.map((url) => collect(url, beacon, [purchase()], { "x-forwarded-for": "198.51.100.8" })));
  for (let attempt = 0; attempt < 5; attempt++) {
    const ip = `192.0.2.${1 + Math.floor(Math.random() * 250)}`;
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    const second = Math.floor(Date.now() / 1000);
    const replies = await Promise.all(urls.flatMap((url) => Array.from({ length: 3 * PER_IP }, () => collect(url, beacon, [purchase()], { "x-forwarded-for": ip }))));
    if (Math.floor(Date.now() / 1000) !== second) continue;
    for (const r of replies) expect([202, 429], r.text).toContain(r.status);
    const accepted = replies.filter((r) => r.status === 202).length;
    console.log(`[limits] burst of ${replies.length} from ${ip}: ${accepted} accepted (limit ${PER_IP})`);
    return accepted;
  }
  throw new Error("no burst fitted in one second");
}

describe("the per-IP limit, shared by two collector processes", () => {
  it("in PostgreSQL (the default): a client spread over both is limited as a whole", { timeout: 90_000 }, async () => {
    const [a, b] = await Promise.all([collectorProcess("limits-pg-a"), collectorProcess("limits-pg-b")]);
    expectSharedLimit(await spread([a.url, b.url]));
    // A burst at both at once, before either has heard of the other: the limit, not twice it.
    const accepted = await burst([a.url, b.url]);
    expect(accepted).toBeLessThanOrEqual(PER_IP);
    expect(accepted).toBeGreaterThanOrEqual(PER_IP - 2);
    const counted = await dashboard.query<{ key: string }>(`SELECT key FROM "RateLimitCount" WHERE key LIKE 'ip:203.0.113.%'`);
    expect(counted.length).toBeGreaterThan(0);
  });

  it("in Redis when REDIS_URL is set", { timeout: 90_000 }, async () => {
    const [a, b] = await Promise.all([collectorProcess("limits-redis-a", { REDIS_URL }), collectorProcess("limits-redis-b", { REDIS_URL })]);
    const before = await dashboard.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RateLimitCount" WHERE key LIKE 'ip:203.0.113.%'`);
    expectSharedLimit(await spread([a.url, b.url]));
    const accepted = await burst([a.url, b.url]);
    expect(accepted).toBeLessThanOrEqual(PER_IP);
    expect(accepted).toBeGreaterThanOrEqual(PER_IP - 2);
    // Counted in Redis, not in the database.
    const after = await dashboard.query<{ n: number }>(`SELECT count(*)::int AS n FROM "RateLimitCount" WHERE key LIKE 'ip:203.0.113.%'`);
    expect(after[0].n).toBe(before[0].n);
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
