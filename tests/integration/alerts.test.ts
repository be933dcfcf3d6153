// Alerts end to end, on PostgreSQL: a server of this spec's own evaluates every 1.5 s and
// sends to a webhook receiver and an SMTP server on 127.0.0.1. A day of history is written
// straight into the database (backdated CollectedEvent rows, and the rollups the fold would
// have made of them), so the trailing-24-hours baseline exists at once; the current hour is
// real traffic, or its absence.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Client, createToken, expectStatus, uid, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startWorker, type RunningWorker } from "../helpers/server";
import { startStandIns, type StandIns } from "../helpers/stand-ins";
import { MailSink, WebhookReceiver } from "../helpers/alert-receivers";

const INTERVAL_MS = 1500;
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const HOUR = 3_600_000;

describe("alerts on PostgreSQL", () => {
  let standIns: StandIns;
  let collector: Collector;
  let hooks: WebhookReceiver;
  let mail: MailSink;
  let worker: RunningWorker | null = null;
  let env: Record<string, string>;

  beforeAll(async () => {
    [standIns, hooks, mail] = await Promise.all([startStandIns(), new WebhookReceiver().start(), new MailSink().start()]);
    env = {
      TAGPIPE_ALERT_INTERVAL_MS: String(INTERVAL_MS),
      TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "1",
      TAGPIPE_SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
      TAGPIPE_SMTP_FROM: "Tagpipe alerts <alerts@tagpipe.test>",
      TAGPIPE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    };
    collector = await startCollector({ name: "alerts", backend: "postgres", distDir: inject("distDir"), standIns, env });
  });

  afterAll(async () => {
    await worker?.stop();
    await collector?.stop();
    await Promise.all([standIns?.close(), hooks?.close(), mail?.close()]);
  });

  /**
   * `perHour` accepted events named `name`, evenly spread over [now - fromAgo, now - toAgo), into the site's
   * production environment, as the product would hold them: those older than the fold's watermark counted in the
   * hourly rollups too (the fold never goes back for them), the newer ones left to the fold. The fold's lock is
   * held meanwhile, so the watermark read is the one the next fold starts from.
   */
  async function history(p: Pipeline, name: string, perHour: number, fromAgo: number, toAgo: number, source = "browser") {
    const n = Math.round((perHour * (fromAgo - toAgo)) / HOUR);
    const start = new Date(Date.now() - fromAgo).toISOString().replace("Z", "");
    const client = new pg.Client({ connectionString: collector.databaseUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tagpipe.health.fold'))");
      await client.query(
        `WITH w AS (SELECT COALESCE((SELECT watermark FROM "HealthFold" WHERE id = 'events'), '-infinity'::timestamp) AS watermark),
         ev AS (
           INSERT INTO "CollectedEvent" ("teamId", "siteId", "environmentId", "environmentKind", name, "eventId", source, status, "eventTime", "receivedAt")
           SELECT $1, $2, $3, 'production', $4, 'hist-' || gen_random_uuid(), $5, 'accepted', t, t
           FROM generate_series(0, $6::int - 1) AS i, LATERAL (SELECT $7::timestamp + (i * $8::float8) * interval '1 millisecond' AS t) x
           RETURNING "receivedAt"
         )
         INSERT INTO "HealthRollup" ("siteId", span, hour, "environmentId", name, source, region, "destinationId", "teamId", received, accepted)
         SELECT $2, 'hour', date_trunc('hour', "receivedAt"), $3, $4, $5, '', '', $1, count(*), count(*)
         FROM ev, w WHERE ev."receivedAt" < w.watermark GROUP BY 3
         ON CONFLICT ("siteId", span, hour, "environmentId", name, source, region, "destinationId")
           DO UPDATE SET received = "HealthRollup".received + EXCLUDED.received, accepted = "HealthRollup".accepted + EXCLUDED.accepted`,
        [p.team.teamId, p.siteId, p.production.id, name, source, n, start, (fromAgo - toAgo) / n],
      );
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
  }

  /** A site with a Meta destination, a webhook channel and an email channel; answers the channel's path, secret and recipient. */
  async function site() {
    const p = await createPipeline(collector.url, [{ platform: "meta" }]);
    const path = `/alerts/${uid()}`;
    const secret = `alert-secret-${randomBytes(12).toString("hex")}`;
    hooks.secrets.set(path, secret);
    const recipient = `oncall-${uid()}@example.test`;
    const api = p.team.owner;
    const responses: string[] = [];
    const hook = await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "webhook", name: "Ops webhook", url: `${hooks.url}${path}`, secret });
    responses.push(hook.text);
    const hookId = expectStatus(hook, 201).id as string;
    expect(hook.body.secretSet).toBe(true);
    const email = await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "email", name: "On-call mail", recipients: [recipient] });
    responses.push(email.text);
    expectStatus(email, 201);
    return { p, path, secret, recipient, hookId, responses };
  }

  async function incidents(p: Pipeline, status?: string): Promise<Json[]> {
    return expectStatus(await p.team.owner.get(`/sites/${p.siteId}/incidents${status ? `?status=${status}` : ""}`), 200).data;
  }

  /** Resolves once `n` more intervals have been evaluated (finished) after this call: a positive signal that evaluations ran. */
  async function intervalsPass(n: number) {
    const since = new Date().toISOString().replace("Z", "");
    await eventually(
      async () => (await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertRun" WHERE "startedAt" > $1::timestamp AND "finishedAt" IS NOT NULL`, [since]))[0].n >= n,
      20_000,
      `${n} evaluated intervals`,
    );
  }

  it(
    "a drop of one event while others go on opens one incident, one webhook call and one email; its return closes it with one recovery message; a quiet event opens none",
    { timeout: 120_000 },
    async () => {
      const { p, path, secret, recipient, hookId, responses } = await site();
      const api = p.team.owner;
      // The silence rule would also see purchases stop (when the clock hour began without one); this test is about the drop.
      const silent = expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/event_silent`, { enabled: false }), 200);
      expect(silent).toMatchObject({ kind: "event_silent", enabled: false, custom: true });

      // A day of 60 purchases (browser and server copies merged) and 60 sign-ups an hour; purchases stop an hour ago,
      // sign-ups go on. 3 add-to-carts an hour, also stopped.
      const started = Date.now();
      await history(p, "purchase", 60, 25 * HOUR, HOUR, "both");
      await history(p, "sign_up", 60, 25 * HOUR, 0);
      await history(p, "add_to_cart", 3, 25 * HOUR, HOUR);

      const [incident] = await eventually(async () => {
        const open = await incidents(p, "open");
        return open.length ? open : null;
      }, 15_000, "the drop's incident");
      expect(incident).toMatchObject({ kind: "volume_drop", subject: "event:purchase", subjectLabel: "purchase", status: "open", title: "Volume drop" });
      expect(incident.details).toMatchObject({ baselineKind: "trailing" });
      expect(incident.details.baseline).toBeGreaterThan(55);
      // Within one evaluation interval of the data (plus the evaluation itself).
      expect(new Date(incident.openedAt).getTime() - started).toBeLessThan(2 * INTERVAL_MS + 5_000);

      await eventually(async () => hooks.at(path).length >= 1 && mail.to(recipient).length >= 1, 15_000, "the webhook call and the email");
      const [opened] = hooks.at(path);
      expect(opened.verified, "signature verifiable with the channel's secret").toBe(true);
      expect(opened.headers["x-tagpipe-event"]).toBe("incident.opened");
      expect(opened.body).toMatchObject({ type: "incident.opened", site: { id: p.siteId }, incident: { id: incident.id, kind: "volume_drop", subject: "event:purchase" } });
      expect(Object.keys(opened.body.incident!).sort()).toEqual(["details", "id", "kind", "message", "openedAt", "resolvedAt", "status", "subject", "subjectLabel", "title", "url"]);
      expect(opened.body.text).toMatch(/^:rotating_light: \[.+\] Volume drop: purchase: \d+ accepted in the last hour against a usual/);
      const [openMail] = mail.to(recipient);
      expect(openMail.from).toBe("alerts@tagpipe.test");
      expect(openMail.subject).toContain("Volume drop");
      expect(openMail.subject).toContain("purchase");

      // It lasts: more evaluations update it but send nothing more; the quiet event never opens one.
      await intervalsPass(3);
      expect(await incidents(p)).toHaveLength(1);
      expect(hooks.at(path)).toHaveLength(1);
      expect(mail.to(recipient)).toHaveLength(1);
      const lasting = expectStatus(await api.get(`/incidents/${incident.id}`), 200);
      expect(new Date(lasting.lastSeenAt).getTime()).toBeGreaterThan(new Date(incident.openedAt).getTime());

      // Traffic returns through the real collector.
      const back = Array.from({ length: 70 }, () => purchase());
      expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, back), "accepted", 70);
      const resolved = await eventually(async () => {
        const i = expectStatus(await api.get(`/incidents/${incident.id}`), 200);
        return i.status === "resolved" ? i : null;
      }, 15_000, "the incident to resolve");
      await eventually(async () => hooks.at(path).length >= 2 && mail.to(recipient).length >= 2, 15_000, "the recovery messages");
      const recovery = hooks.at(path)[1];
      expect(recovery.verified).toBe(true);
      expect(recovery.body).toMatchObject({ type: "incident.resolved", incident: { id: incident.id, status: "resolved" } });
      expect(recovery.body.text).toMatch(/^:white_check_mark: \[.+\] Resolved after \d+ min: Volume drop for purchase/);
      expect(mail.to(recipient)[1].subject).toContain("Resolved");

      await intervalsPass(2);
      expect(hooks.at(path)).toHaveLength(2);
      expect(mail.to(recipient)).toHaveLength(2);
      expect(await incidents(p)).toHaveLength(1);

      // The history, in the incident and in the audit log.
      expect(resolved.history.map((h: Json) => h.kind)).toEqual(expect.arrayContaining(["opened", "notified", "resolved"]));
      const final = expectStatus(await api.get(`/incidents/${incident.id}`), 200);
      expect(final.history.filter((h: Json) => h.kind === "notified")).toHaveLength(2);
      expect(final.history.filter((h: Json) => h.kind === "recovery_notified")).toHaveLength(2);
      const audit = expectStatus(await api.get(`/audit?entityType=incident&entityId=${incident.id}`), 200);
      expect(audit.data.map((e: Json) => e.action).sort()).toEqual(["open", "resolve"]);
      expect(audit.data.every((e: Json) => e.actorLabel === "Tagpipe alerts")).toBe(true);

      // The channel's secret: never in a response, sealed at rest.
      responses.push((await api.get(`/sites/${p.siteId}/alert-channels`)).text, (await api.get(`/alert-channels/${hookId}`)).text);
      responses.push((await api.patch(`/alert-channels/${hookId}`, { name: "Ops webhook (renamed)" })).text);
      responses.push((await api.post(`/alert-channels/${hookId}/test`)).text, (await api.get(`/incidents/${incident.id}`)).text);
      responses.push(JSON.stringify(expectStatus(await api.get("/audit?entityType=alert_channel&limit=50"), 200)));
      for (const text of responses) expect(text).not.toContain(secret);
      // The URL past its first segment is a chat webhook's credential: shown masked too.
      expect(expectStatus(await api.get(`/alert-channels/${hookId}`), 200).url).toBe(`${hooks.url}/alerts/…`);
      for (const text of responses) expect(text).not.toContain(path);
      const [stored] = await collector.query<{ secret: string }>(`SELECT secret FROM "AlertChannel" WHERE id = $1`, [hookId]);
      expect(stored.secret).toMatch(/^v1:/);
      expect(stored.secret).not.toContain(secret);
    },
  );

  it("acknowledge and mute: publishers may, viewers may not; a muted incident's recovery sends nothing", { timeout: 90_000 }, async () => {
    const { p, path, recipient } = await site();
    await history(p, "purchase", 60, 25 * HOUR, HOUR, "both");
    await history(p, "sign_up", 60, 25 * HOUR, 0);
    expectStatus(await p.team.owner.patch(`/sites/${p.siteId}/alert-rules/event_silent`, { enabled: false }), 200);
    const [incident] = await eventually(async () => {
      const open = await incidents(p, "open");
      return open.length && hooks.at(path).length ? open : null;
    }, 15_000, "an incident, announced");

    const viewer = new Client(collector.url, (await createToken(p.team.owner, "viewer")).secret);
    expect(expectStatus(await viewer.get(`/incidents/${incident.id}`), 200).id).toBe(incident.id);
    expectStatus(await viewer.post(`/incidents/${incident.id}/acknowledge`), 403);
    const acked = expectStatus(await p.team.owner.post(`/incidents/${incident.id}/acknowledge`), 201);
    expect(acked.acknowledgedAt).toBeTruthy();
    expectStatus(await p.team.owner.post(`/incidents/${incident.id}/mute`, { minutes: -5 }), 422);
    const muted = expectStatus(await p.team.owner.post(`/incidents/${incident.id}/mute`, { minutes: 60 }), 201);
    expect(muted.muted).toBe(true);
    expect(muted.history.map((h: Json) => h.kind)).toEqual(expect.arrayContaining(["acknowledged", "muted"]));

    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, Array.from({ length: 70 }, () => purchase())), "accepted", 70);
    await eventually(async () => {
      const i = expectStatus(await p.team.owner.get(`/incidents/${incident.id}`), 200);
      return i.status === "resolved" && i.history.some((h: Json) => h.kind === "suppressed");
    }, 15_000, "the muted incident to resolve without a message");
    expect(hooks.at(path).map((h) => h.body.text)).toHaveLength(1);
    expect(mail.to(recipient)).toHaveLength(1);
    const audit = expectStatus(await p.team.owner.get(`/audit?entityType=incident&entityId=${incident.id}`), 200);
    expect(audit.data.map((e: Json) => e.action).sort()).toEqual(["acknowledge", "mute", "open", "resolve"]);
  });

  it("a platform answering 200 with an error in the body opens a silent-drop incident", { timeout: 90_000 }, async () => {
    const p = await createPipeline(collector.url, [{ platform: "tiktok" }]);
    const path = `/alerts/${uid()}`;
    const secret = `alert-secret-${randomBytes(12).toString("hex")}`;
    hooks.secrets.set(path, secret);
    expectStatus(await p.team.owner.post(`/sites/${p.siteId}/alert-channels`, { kind: "webhook", name: "Hook", url: `${hooks.url}${path}`, secret }), 201);
    standIns.tiktok.fail({ status: 200, tiktokCode: 40002, message: "Invalid value for field: event" });
    try {
      const events = Array.from({ length: 3 }, () => purchase());
      expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, events), "accepted", 3);
      const [incident] = await eventually(async () => {
        const open = (await incidents(p, "open")).filter((i) => i.kind === "silent_drop");
        return open.length ? open : null;
      }, 20_000, "the silent-drop incident");
      expect(incident).toMatchObject({ subject: `destination:${p.destinations.tiktok.id}`, title: "Silent drop" });
      expect(incident.message).toContain("answered 2xx but dropped 3 events");
      expect(incident.message).toContain("Invalid value for field: event");
      await eventually(async () => hooks.at(path).some((h) => h.body.incident?.kind === "silent_drop"), 10_000, "its webhook call");
      const [row] = await collector.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Delivery" WHERE "destinationId" = $1 AND status = 'dead' AND "silentDropAt" IS NOT NULL AND "lastStatus" = 200`,
        [p.destinations.tiktok.id],
      );
      expect(row.n).toBe(3);
    } finally {
      standIns.tiktok.recover();
    }
  });

  it("rules: listed with defaults, edited per site, refused with the field named, reset", async () => {
    const p = await createPipeline(collector.url, []);
    const api = p.team.owner;
    const rules = expectStatus(await api.get(`/sites/${p.siteId}/alert-rules`), 200).data as Json[];
    expect(rules.map((r) => r.kind)).toEqual(["volume_drop", "event_silent", "rejection_rate", "failure_rate", "backlog", "dedup_coverage", "silent_drop", "test_only", "order_accuracy"]);
    expect(rules.every((r) => r.enabled && !r.custom)).toBe(true);
    expect(rules[0].settings).toEqual({ dropPercent: 50, minVolume: 20 });
    const changed = expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/volume_drop`, { settings: { minVolume: 200 } }), 200);
    expect(changed).toMatchObject({ enabled: true, custom: true, settings: { dropPercent: 50, minVolume: 200 } });
    const bad = expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/volume_drop`, { settings: { dropPercent: 0 } }), 422);
    expect(bad.error.fields).toEqual([{ path: "settings.dropPercent", message: "must be at least 1" }]);
    expect(expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/volume_drop`, { settings: { nope: 3 } }), 422).error.fields[0].path).toBe("settings.nope");
    expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/no_such_rule`, { enabled: false }), 404);
    const reset = expectStatus(await api.patch(`/sites/${p.siteId}/alert-rules/volume_drop`, { reset: true }), 200);
    expect(reset).toMatchObject({ custom: false, settings: { dropPercent: 50, minVolume: 20 } });
    // Another team's site answers as an unknown one.
    const other = await createPipeline(collector.url, []);
    expectStatus(await other.team.owner.get(`/sites/${p.siteId}/alert-rules`), 404);
    expectStatus(await other.team.owner.get(`/sites/${p.siteId}/incidents`), 404);
  });

  it("channels: a webhook URL must be https to a public host unless private webhooks are allowed; a failing receiver is reported with an excerpt", async () => {
    const p = await createPipeline(collector.url, []);
    const api = p.team.owner;
    // This server allows private webhooks (the tests' receiver is on 127.0.0.1), so only malformed URLs are refused here;
    // the https and address rules are unit-tested. Email without a recipient, a short secret: named fields.
    expect(expectStatus(await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "webhook", name: "x", url: "ftp://example.com/x", secret: "0123456789abcdef" }), 422).error.fields[0].path).toBe("url");
    expect(expectStatus(await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "webhook", name: "x", url: `${hooks.url}/x`, secret: "short" }), 422).error.fields[0].path).toBe("secret");
    expect(expectStatus(await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "email", name: "x", recipients: [] }), 422).error.fields[0].path).toBe("recipients");
    const path = `/down/${uid()}`;
    hooks.secrets.set(path, "0123456789abcdef-secret");
    const channel = expectStatus(await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "webhook", name: "Down", url: `${hooks.url}${path}`, secret: "0123456789abcdef-secret" }), 201);
    hooks.status = 503;
    try {
      const result = expectStatus(await api.post(`/alert-channels/${channel.id}/test`), 201);
      expect(result).toEqual({ ok: false, response: "HTTP 503: receiver is down" });
    } finally {
      hooks.status = 200;
    }
    const ok = expectStatus(await api.post(`/alert-channels/${channel.id}/test`), 201);
    expect(ok).toEqual({ ok: true, response: "HTTP 200: ok, thanks" });
    const test = hooks.at(path).at(-1)!;
    expect(test.verified).toBe(true);
    expect(test.body).toMatchObject({ type: "test", incident: null, text: expect.stringContaining("this channel works") });
    expect(expectStatus(await api.get(`/alert-channels/${channel.id}`), 200)).toMatchObject({ lastOk: true, lastResponse: "HTTP 200: ok, thanks", secretSet: true });
    expectStatus(await api.delete(`/alert-channels/${channel.id}`), 204);
    expectStatus(await api.get(`/alert-channels/${channel.id}`), 404);
  });

  it("two processes that could evaluate (the server and a worker): one leads and evaluates, one notification", { timeout: 90_000 }, async () => {
    worker = await startWorker({ name: "alerts-worker", databaseUrl: collector.databaseUrl!, env: { ...standIns.env("alerts-worker"), ...env } });
    const { p, path, recipient } = await site();
    expectStatus(await p.team.owner.patch(`/sites/${p.siteId}/alert-rules/event_silent`, { enabled: false }), 200);
    const since = new Date().toISOString().replace("Z", "");
    await history(p, "purchase", 60, 25 * HOUR, HOUR, "both");
    await history(p, "sign_up", 60, 25 * HOUR, 0);
    await eventually(async () => hooks.at(path).length >= 1 && mail.to(recipient).length >= 1, 15_000, "the notifications");
    // Exactly one process evaluates (lib/leader.ts): every interval since the worker started
    // was claimed by the same one.
    const claimants = await eventually(
      async () => {
        const rows = await collector.query<{ claimedBy: string }>(`SELECT "claimedBy" FROM "AlertRun" WHERE "startedAt" > $1::timestamp`, [since]);
        return rows.length >= 2 && rows;
      },
      30_000,
      "two intervals evaluated",
    );
    expect(new Set(claimants.map((r) => r.claimedBy)).size).toBe(1);
    await intervalsPass(2);
    expect(await incidents(p)).toHaveLength(1);
    expect(hooks.at(path)).toHaveLength(1);
    expect(mail.to(recipient)).toHaveLength(1);
    // One row per interval: the claim is the interval's primary key.
    const runs = await collector.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT "intervalStart")::int AS distinct FROM "AlertRun"`);
    expect(runs[0].n).toBe(runs[0].distinct);
  });
});
