// The forwarder: claims due deliveries from the outbox, batches them per destination
// within the platform's limits, sends them, and records the outcome.
//
// Claiming leases: a round claims due rows in one short statement — FOR UPDATE SKIP
// LOCKED picks rows no other round is claiming at that instant, and the same statement
// sets their "leaseUntil" (TAGPIPE_FORWARD_LEASE_MS, 10 s) and commits at once. Then it
// sends outside any transaction, and records the outcomes in one short transaction that
// only touches rows still holding its lease (the lease's end is the claim's token), and
// clears it. So no connection is held and no transaction stays open while platform
// requests of up to 10 s are in flight (measured before: every round sat "idle in
// transaction" for as long as its requests took, holding back the xmin horizon —
// vacuum — for all of it; docs/hardening.md). While its requests are in flight the round
// renews the lease every third of it (a heartbeat: one UPDATE of its rows, whose new end
// becomes the token), so a slow platform never lets the lease lapse under a live round,
// and the lease can be short: a worker killed mid-batch stops renewing, its rows are due
// again within one lease, and another worker sends them (it sleeps until that moment,
// msUntilDue). What the dead worker had in flight is sent again (the platforms
// deduplicate by event_id), nothing is lost. Should a round still lose its lease (its
// process stalled longer than a lease, the database unreachable) and another claim its
// rows, the late round's record changes nothing (the lease is no longer its), and the
// delivery is recorded once.
//
// Retries: timeouts, network errors, 5xx and 429 back off exponentially with jitter
// (honouring Retry-After); other 4xx are dead-lettered with the response at once; a
// delivery failing for 24 hours is dead-lettered too. Dead letters can be replayed. An
// answer that judges each event (Google Ads' partial failure) is recorded per event.
//
// The attempt log: each request sent is one DeliveryRequest row (its exact body and the
// answer), written with the outcomes; each delivery's attempt is appended to its own
// attemptLog by the same UPDATE that records the outcome, so an attempt costs no extra
// row per event.
import { database, type Sql } from "../db";
import { uuidv7 } from "../collector/ids";
import { readSecrets } from "../config/draft-entities";
import { adapterOf } from "../platforms/adapters";
import { ageProblem, type Adapter, type HttpRequest, type Job, type Outcome, type Verdict } from "./types";
import { firedInBrowser } from "../platforms/delivery-mode";
import { enhances } from "../platforms/google-ads/server";
import { excerpt, OutboundRefused, postOutbound } from "../http/outbound-url";
import { keysMask } from "../health/keys";
import { outboxWritten, waitForWork } from "./wake";
import { storableText } from "../schemas/text";

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const GIVE_UP_MS = 24 * 3600 * 1000;
/** A platform's request takes this long at most. */
const TIMEOUT_MS = 10_000;
/**
 * How long a claim lasts without renewal; a live round renews it every third of it while
 * it sends (heartbeat), so this bounds how long a killed worker's deliveries wait before
 * another worker sends them, not how long a round may take.
 */
const LEASE_MS = () => envMs("TAGPIPE_FORWARD_LEASE_MS", 10_000);

/**
 * idleMs: the pause when deliveries are due but every one is locked by another round;
 * safetyMs: the longest sleep when nothing is due (a missed wake-up costs at most this).
 */
export type WorkerOptions = { batchSize?: number; idleMs?: number; safetyMs?: number; concurrency?: number; signal?: AbortSignal; log?: (line: string) => void };

type Row = {
  id: string;
  teamId: string;
  destinationId: string;
  platform: string;
  eventName: string;
  target: Job["target"];
  attempts: number;
  firstAttemptAt: Date | null;
  name: string;
  eventId: string;
  orderId: string | null;
  params: Record<string, unknown>;
  userData: Job["event"]["userData"];
  context: Job["event"]["context"];
  eventTime: Date;
  source: string;
};

/** Backoff before attempt n+1: 2^n seconds (max 1 h), with ±50 % jitter; Retry-After wins when larger. */
export function backoffMs(attempts: number, retryAfter?: string | null): number {
  const base = Math.min(3600_000, 1000 * 2 ** Math.max(0, attempts - 1));
  const jittered = base * (0.5 + Math.random());
  const hinted = retryAfter ? (/^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - Date.now()) : 0;
  return Math.max(jittered, Number.isFinite(hinted) ? hinted : 0);
}

/** The due deliveries' ids (at most $1), not leased; rows another round is claiming are skipped. */
const DUE = `due AS (
  SELECT id FROM "Delivery"
  WHERE status = 'pending' AND "nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" <= now())
  ORDER BY "nextAttemptAt"
  LIMIT $1
  FOR UPDATE SKIP LOCKED)`;
const EVENT_COLUMNS = `e.name, e."eventId", e."orderId", e.params, e."userData", e.context, e."eventTime", e.source`;

/** A round's claim: its rows (attempts and firstAttemptAt as of this attempt), and its lease's end, the token its record must show (renewed by the heartbeat). */
type Claim = { rows: Row[]; lease: string };

/**
 * Renews a claim's lease every third of it until stopped: one UPDATE of the claim's rows
 * that still hold its lease, whose new end becomes the claim's token. `stop` waits for a
 * renewal in flight, so the record that follows reads the last token.
 */
function heartbeat(sql: Sql, claimed: Claim, log?: (line: string) => void): { stop(): Promise<void> } {
  const ids = claimed.rows.map((r) => r.id);
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      try {
        const [row] = await sql.query<{ lease: string }>(
          `WITH renewed AS (UPDATE "Delivery" SET "leaseUntil" = now() + $2 * interval '1 millisecond'
             WHERE id = ANY($1::text[]) AND "leaseUntil" = $3::timestamp RETURNING "leaseUntil")
           SELECT min("leaseUntil")::text AS lease FROM renewed`,
          [ids, LEASE_MS(), claimed.lease],
          "tagpipe_forward_renew",
        );
        if (row?.lease) claimed.lease = row.lease;
      } catch (error) {
        log?.(`[forwarder] lease renewal failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }, LEASE_MS() / 3);
  timer.unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await beating;
    },
  };
}

/** Claims due rows: leases them in one statement (committed on its own) and reads them with their events. */
async function claim(sql: Sql, limit: number): Promise<Claim | null> {
  const rows = await sql.query<Row & { lease: string }>(
    // The lock is taken on ids alone: rows skipped because another round holds them cost an
    // index probe, not a join with their events. The claimed rows are then found by their
    // primary key (an array the planner cannot size, so never a scan of the whole outbox)
    // and each one's event by one key lookup (LIMIT 1 keeps the planner from hashing the
    // whole event table): a joined form measured 50–240 ms a claim of 2,000 on 200,000
    // deliveries, a sequential scan of both tables whenever the statistics said so.
    `WITH ${DUE},
     leased AS (UPDATE "Delivery" d SET "leaseUntil" = now() + $2 * interval '1 millisecond' WHERE d.id = ANY (ARRAY(SELECT id FROM due)) RETURNING d.*)
     SELECT d.id, d."teamId", d."destinationId", d.platform, d."eventName", d.target, d.attempts + 1 AS attempts,
            COALESCE(d."firstAttemptAt", now()) AS "firstAttemptAt", d."leaseUntil"::text AS lease, ${EVENT_COLUMNS}
     FROM leased d CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM "CollectedEvent" e WHERE e.id = d."collectedEventId" LIMIT 1) e`,
    [limit, LEASE_MS()],
    "tagpipe_forward_claim",
  );
  return rows.length ? { rows, lease: rows[0].lease } : null;
}

/**
 * `refused`: never sent (the platform would refuse it); `skip`: not sent on purpose (the
 * browser's tag reported the conversion), recorded as suppressed; `silent`: the platform
 * answered 2xx yet its body refused the events — a silent drop, flagged for the alerts.
 */
type Result = { ids: string[]; outcome: Outcome | "refused" | "skip"; status: number | null; response: string; retryAfter?: string | null; request?: SentRequest; silent?: boolean };

/** A request as sent, for the attempt log: its body, the answer, and each delivery's place in the batch. */
export type SentRequest = { id: string; destinationId: string; platform: string; sentAt: Date; durationMs: number | null; url: string; body: string; httpStatus: number | null; response: string; index: Map<string, number> };

/** What is kept of a platform's answer in the request log. */
const LOGGED_RESPONSE_CHARS = 8000;

/** Kept in place of a secret the platform takes in the body (Meta's access_token). */
export const REDACTED_SECRET = "[secret]";

/**
 * The body as logged: every secret of the destination that appears in it (as is, or as
 * JSON escapes it) replaced, so the request log never holds a token.
 */
export function withoutSecrets(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (typeof value !== "string" || value.length < 4) continue;
    for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) out = out.split(form).join(REDACTED_SECRET);
  }
  return out;
}

/** The URL without its query: GA4 passes api_secret there. */
function loggedUrl(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

/** What is kept of an answer in the outbox row (the adapter reads all of it: per-event errors of a full batch run long). */
const STORED_RESPONSE_CHARS = 2000;

type Answer = { status: number; text: string; retryAfter: string | null } | { error: string } | { failed: string };

/** One request, logged (body and answer, secrets replaced) for the attempt log. */
async function post(adapter: Adapter, jobs: Job[], secrets: Record<string, string>): Promise<{ answer: Answer; log?: SentRequest }> {
  const request = adapter.build(jobs, secrets);
  if ("error" in request) return { answer: { failed: request.error } };
  const sentAt = new Date();
  const log: SentRequest = {
    id: uuidv7(sentAt.getTime()),
    destinationId: jobs[0].destinationId,
    platform: adapter.platform,
    sentAt,
    durationMs: null,
    url: loggedUrl(request.url),
    body: withoutSecrets(request.body, secrets),
    httpStatus: null,
    response: "",
    index: new Map(jobs.map((j, i) => [j.deliveryId, i])),
  };
  if (adapter.guarded) return postGuarded(request, log);
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    // An answer may carry NUL (a proxy's error page), which PostgreSQL cannot store: the
    // attempt could not be recorded and the delivery would be sent again at every lease's end.
    const text = storableText(await response.text());
    log.durationMs = Date.now() - sentAt.getTime();
    log.httpStatus = response.status;
    log.response = withoutSecrets(text.slice(0, LOGGED_RESPONSE_CHARS), secrets);
    return { answer: { status: response.status, text, retryAfter: response.headers.get("retry-after") }, log };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log.durationMs = Date.now() - sentAt.getTime();
    log.response = message;
    return { answer: { error: message }, log };
  }
}

/**
 * A request to a team member's URL (a webhook), through the outbound guard: https, no
 * private addresses at connect time, no redirects; only an excerpt of the answer is kept.
 * A refused address stays refused: dead-lettered at once, not retried for a day.
 */
async function postGuarded(request: HttpRequest, log: SentRequest): Promise<{ answer: Answer; log: SentRequest }> {
  try {
    const answer = await postOutbound(request.url, request.headers, request.body, TIMEOUT_MS);
    log.durationMs = Date.now() - log.sentAt.getTime();
    log.httpStatus = answer.status;
    log.response = answer.excerpt;
    return { answer: { status: answer.status, text: answer.excerpt, retryAfter: answer.retryAfter }, log };
  } catch (error) {
    const message = excerpt(error instanceof Error ? error.message : String(error));
    log.durationMs = Date.now() - log.sentAt.getTime();
    log.response = message;
    return { answer: error instanceof OutboundRefused ? { failed: message } : { error: message }, log };
  }
}

async function send(adapter: Adapter, jobs: Job[], secrets: Record<string, string>): Promise<Result[]> {
  const ids = jobs.map((j) => j.deliveryId);
  let credentials = secrets;
  if (adapter.authorize) {
    const authorized = await adapter.authorize(secrets);
    if ("error" in authorized) return [{ ids, outcome: authorized.retry ? "retry" : "fail", status: null, response: authorized.error }];
    credentials = authorized.secrets;
  }
  let { answer, log } = await post(adapter, jobs, credentials);
  // An access token the platform no longer takes (revoked, or expired early): renewed once;
  // a second 401 is the platform's word, and dead-letters the batch with its message.
  if (adapter.authorize && "status" in answer && answer.status === 401) {
    const renewed = await adapter.authorize(secrets, credentials.accessToken);
    if ("error" in renewed) return [{ ids, outcome: renewed.retry ? "retry" : "fail", status: 401, response: renewed.error, request: log }];
    ({ answer, log } = await post(adapter, jobs, renewed.secrets));
  }
  if ("failed" in answer) return [{ ids, outcome: "fail", status: null, response: answer.failed, request: log }];
  if ("error" in answer) return [{ ids, outcome: "retry", status: null, response: answer.error, request: log }];
  const { status, text, retryAfter } = answer;
  const stored = text.slice(0, STORED_RESPONSE_CHARS);
  const ok = status >= 200 && status < 300;
  const outcome = adapter.outcome ? adapter.outcome(status, text, jobs.length) : ok ? "ok" : status === 429 || status >= 500 ? "retry" : "fail";
  if (typeof outcome === "string") return [{ ids, outcome, status, response: stored, retryAfter, request: log, silent: ok && outcome === "fail" }];
  return perEvent(ids, outcome, status, stored).map((r) => ({ ...r, request: log, silent: ok && r.outcome === "fail" }));
}

/**
 * A request the platform accepted with some events refused: the accepted ones are
 * delivered, the refused ones retried or dead-lettered with their own reason. Events
 * refused for the same reason stay one result, so a retry sends them as one batch again.
 * Events the verdicts do not cover count as refused: nothing is recorded as delivered on
 * a guess.
 */
export function perEvent(ids: string[], verdicts: Verdict[], status: number, response: string): Result[] {
  const results = new Map<string, Result>();
  ids.forEach((id, i) => {
    const v = verdicts[i] ?? { outcome: "fail", reason: "the platform's answer did not cover this event" };
    const key = JSON.stringify([v.outcome, v.reason, v.retryAfter]);
    const result = results.get(key) ?? { ids: [], outcome: v.outcome, status, response: v.outcome === "ok" ? response : (v.reason ?? response).slice(0, STORED_RESPONSE_CHARS), retryAfter: v.retryAfter ?? null };
    result.ids.push(id);
    results.set(key, result);
  });
  return [...results.values()];
}

function jobOf(r: Row): Job {
  return {
    deliveryId: r.id,
    destinationId: r.destinationId,
    eventName: r.eventName,
    target: r.target,
    event: { name: r.name, eventId: r.eventId, orderId: r.orderId, params: r.params, userData: r.userData, context: r.context, eventTime: new Date(r.eventTime), source: r.source },
  };
}

/**
 * Groups claimed rows into requests: per destination, test flag and adapter group key,
 * within maxBatch. Rows no request can carry — a platform without an adapter, an event
 * the platform would refuse — come back as `refused` with the reason, to be dead-lettered
 * at once: left out silently they would be claimed again every round, and sent in
 * a batch they would make the platform refuse every other event with them.
 */
export function batches(rows: Row[]): {
  groups: { adapter: Adapter; destinationId: string; jobs: Job[] }[];
  refused: { id: string; reason: string }[];
  suppressed: { id: string; reason: string }[];
} {
  const groups = new Map<string, { adapter: Adapter; destinationId: string; jobs: Job[] }[]>();
  const refused: { id: string; reason: string }[] = [];
  const suppressed: { id: string; reason: string }[] = [];
  for (const r of rows) {
    const adapter = adapterOf(r.platform);
    if (!adapter) {
      refused.push({ id: r.id, reason: `no server-side delivery for the platform ${r.platform}` });
      continue;
    }
    const job = jobOf(r);
    // browser_fill_in: a browser copy that arrived meanwhile said the tag ran. Only Google
    // Ads' enhancement of an order still goes (it adds identifiers, it counts nothing).
    if (firedInBrowser(job.target, job.event.context) && !(r.platform === "google_ads" && enhances(job))) {
      suppressed.push({ id: r.id, reason: "the browser's tag reported this conversion: the server copy would count it twice" });
      continue;
    }
    const reason = ageProblem(adapter, job) ?? adapter.refuse?.(job);
    if (reason) {
      refused.push({ id: r.id, reason });
      continue;
    }
    const key = `${r.destinationId}|${r.target.test}|${adapter.groupKey?.(job) ?? ""}`;
    const list = groups.get(key) ?? [];
    const last = list.at(-1);
    if (last && last.jobs.length < adapter.maxBatch) last.jobs.push(job);
    else list.push({ adapter, destinationId: r.destinationId, jobs: [job] });
    groups.set(key, list);
  }
  return { groups: [...groups.values()].flat(), refused, suppressed };
}

/** Writes the outcomes, counting the attempt in the same write, and appending it to each delivery's attempt log. */
async function record(sql: Sql, results: Result[], rows: Map<string, Row>, lease: string): Promise<void> {
  if (!/^[\d\-: .]+$/.test(lease)) throw new Error(`not a lease: ${lease}`);
  // Only rows still under this round's lease, which the same write ends.
  const attempt = `, attempts = d.attempts + 1, "firstAttemptAt" = COALESCE(d."firstAttemptAt", now()), "leaseUntil" = NULL`;
  const mine = `d.id = ANY($1::text[]) AND d."leaseUntil" = '${lease}'::timestamp`;
  // Each row's own values come from one JSON object keyed by its id ($2), looked up by
  // key, not from a join with unnest()ed arrays: with the lease condition estimated at
  // one row, the planner joined them by a nested loop over the whole batch for every
  // row — 700–1,200 ms a batch of 2,000, where this takes 55–62 (measured on PostgreSQL
  // 15 and 18, 200,000 deliveries).
  const own = (field: string) => `($2::jsonb -> d.id -> '${field}')`;
  const ownText = (field: string) => `($2::jsonb -> d.id ->> '${field}')`;
  const appended = `, "attemptLog" = COALESCE(d."attemptLog", '[]'::jsonb) || ${own("entry")}`;
  const byId = <T extends { id: string }>(list: T[]) => [list.map((r) => r.id), JSON.stringify(Object.fromEntries(list.map(({ id, ...values }) => [id, values])))];
  const now = Date.now();
  const delivered: { id: string; entry: AttemptEntry[]; keys: number }[] = [];
  const retry: { id: string; at: string; status: number | null; error: string; entry: AttemptEntry[] }[] = [];
  const dead: { id: string; status: number | null; error: string; entry: AttemptEntry[] }[] = [];
  await logRequests(sql, results, rows);
  const silent: string[] = [];
  const skipped: { id: string; error: string; entry: AttemptEntry[] }[] = [];
  for (const r of results) {
    if (r.outcome === "skip") {
      for (const id of r.ids) skipped.push({ id, error: r.response, entry: [attemptEntry(r, rows.get(id)!, id)] });
      continue;
    }
    // One backoff per request, not per row: the rows of a failed batch come due together
    // and are sent as one batch again, instead of scattering over the jitter window into
    // as many small requests.
    const attempts = Math.max(...r.ids.map((id) => rows.get(id)!.attempts));
    const at = r.outcome === "retry" ? new Date(now + backoffMs(attempts, r.retryAfter)).toISOString() : "";
    if (r.silent) silent.push(...r.ids);
    for (const id of r.ids) {
      const row = rows.get(id)!;
      const entry = [attemptEntry(r, row, id)];
      // Delivered outcomes carry the match keys as sent, for the destination's match quality.
      if (r.outcome === "ok") delivered.push({ id, entry, keys: keysMask(row.userData as Record<string, unknown>) });
      else if (r.outcome === "fail" || r.outcome === "refused" || now - new Date(row.firstAttemptAt ?? now).getTime() > GIVE_UP_MS) dead.push({ id, status: r.status, error: r.response, entry });
      else retry.push({ id, at, status: r.status, error: r.response, entry });
    }
  }
  // Each update logs its outcomes for the health rollups (DeliveryOutcome) in the same
  // statement, so an outcome is counted exactly when it is recorded.
  const logged = (outcome: string) => `, done AS (INSERT INTO "DeliveryOutcome" ("deliveryId", outcome) SELECT id, '${outcome}' FROM u) SELECT 1`;
  if (delivered.length) {
    await sql.query(
      `WITH u AS (UPDATE "Delivery" d SET status = 'delivered', "deliveredAt" = now(), "lastStatus" = 200, "lastError" = NULL${attempt}${appended}
         WHERE ${mine} RETURNING d.id, ${ownText("keys")}::int4 AS keys)
       INSERT INTO "DeliveryOutcome" ("deliveryId", outcome, keys) SELECT id, 'delivered', keys FROM u`,
      byId(delivered),
    );
  }
  if (retry.length) {
    await sql.query(
      `WITH u AS (UPDATE "Delivery" d SET "nextAttemptAt" = ${ownText("at")}::timestamptz, "lastStatus" = ${ownText("status")}::int4, "lastError" = ${ownText("error")}${attempt}${appended}
         WHERE ${mine} RETURNING d.id)${logged("failed")}`,
      byId(retry),
    );
  }
  if (skipped.length) {
    await sql.query(`UPDATE "Delivery" d SET status = 'suppressed', "lastError" = ${ownText("error")}${attempt}${appended} WHERE ${mine}`, byId(skipped));
  }
  if (dead.length) {
    await sql.query(
      `WITH u AS (UPDATE "Delivery" d SET status = 'dead', "lastStatus" = ${ownText("status")}::int4, "lastError" = ${ownText("error")}, "lastResponse" = ${ownText("error")}${attempt}${appended}
         WHERE ${mine} RETURNING d.id)${logged("dead")}`,
      byId(dead),
    );
  }
  // Rare (a platform refusing inside a 2xx), so its own statement rather than a column in every update above.
  if (silent.length) await sql.query(`UPDATE "Delivery" SET "silentDropAt" = now() WHERE id = ANY($1::text[])`, [silent]);
}

/** One attempt of one delivery, as its attemptLog keeps it. */
export type AttemptEntry = { n: number; at: string; outcome: Result["outcome"]; status: number | null; error?: string; request?: string; index?: number };

function attemptEntry(r: Result, row: Row, id: string): AttemptEntry {
  return {
    n: row.attempts,
    at: (r.request?.sentAt ?? new Date()).toISOString(),
    outcome: r.outcome,
    status: r.status,
    ...(r.outcome === "ok" ? {} : { error: r.response }),
    ...(r.request ? { request: r.request.id, index: r.request.index.get(id) } : {}),
  };
}

/** One row per request sent: its exact body and the answer (results of one request share it). */
async function logRequests(sql: Sql, results: Result[], rows: Map<string, Row>): Promise<void> {
  const requests = [...new Set(results.flatMap((r) => (r.request ? [r.request] : [])))];
  if (!requests.length) return;
  await sql.query(
    `INSERT INTO "DeliveryRequest" (id, "teamId", "destinationId", platform, "sentAt", "durationMs", url, body, "httpStatus", response, count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int4[], $7::text[], $8::text[], $9::int4[], $10::text[], $11::int4[])`,
    sql.arrays([
      ["text", requests.map((q) => q.id)],
      ["text", requests.map((q) => rows.get(q.index.keys().next().value!)!.teamId)],
      ["text", requests.map((q) => q.destinationId)],
      ["text", requests.map((q) => q.platform)],
      ["timestamptz", requests.map((q) => q.sentAt)],
      ["int4", requests.map((q) => q.durationMs)],
      ["text", requests.map((q) => q.url)],
      ["text", requests.map((q) => q.body)],
      ["int4", requests.map((q) => q.httpStatus)],
      ["text", requests.map((q) => q.response)],
      ["int4", requests.map((q) => q.index.size)],
    ]),
  );
}

/**
 * Secrets per destination, read once per round (they are encrypted at rest). A
 * destination whose secrets cannot be read comes back as the reason: its deliveries are
 * dead-lettered with it, and every other destination's are sent. (Thrown, it failed the
 * round for everyone, and the same rows were claimed again at once, for ever.)
 */
async function secretsFor(sql: Sql, destinationIds: string[]): Promise<Map<string, Record<string, string> | { error: string }>> {
  const rows = await sql.query<{ id: string; secrets: string | null }>(`SELECT id, secrets FROM "Destination" WHERE id = ANY($1::text[])`, [destinationIds]);
  return new Map(
    rows.map((r) => {
      try {
        return [r.id, readSecrets(r)];
      } catch {
        // AES-GCM says only "unable to authenticate data": say what it means here.
        return [r.id, { error: "the destination's secrets cannot be decrypted: this process's TAGPIPE_ENCRYPTION_KEY is not the one they were stored with. Set the key they were stored with, or enter the secrets again, then replay" }];
      }
    }),
  );
}

/** Sends claimed rows (outside any transaction, renewing their lease meanwhile) and records the outcomes (in one short transaction). */
async function deliver(claimed: Claim, log?: (line: string) => void): Promise<void> {
  const db = await database();
  const beat = heartbeat(db.sql, claimed, log);
  let results: Result[];
  try {
    results = await sendClaimed(db.sql, claimed.rows);
  } finally {
    await beat.stop();
  }
  await db.transaction((sql) => record(sql, results, new Map(claimed.rows.map((r) => [r.id, r])), claimed.lease));
}

/** Sends claimed rows in batches per destination; answers every row's result. */
async function sendClaimed(sql: Sql, rows: Row[]): Promise<Result[]> {
  const { groups, refused, suppressed } = batches(rows);
  const secrets = await secretsFor(sql, [...new Set(rows.map((r) => r.destinationId))]);
  const results = (
    await Promise.all(
      groups.map((g) => {
        const s = secrets.get(g.destinationId) ?? {};
        return "error" in s && typeof s.error === "string"
          ? [{ ids: g.jobs.map((j) => j.deliveryId), outcome: "fail" as const, status: null, response: s.error }]
          : send(g.adapter, g.jobs, s as Record<string, string>);
      }),
    )
  ).flat();
  results.push(...refused.map((r): Result => ({ ids: [r.id], outcome: "refused", status: null, response: r.reason })));
  results.push(...suppressed.map((r): Result => ({ ids: [r.id], outcome: "skip", status: null, response: r.reason })));
  return results;
}

/** One round: claim, send, record. Returns how many deliveries it handled. */
export async function forwardOnce(batchSize = 2000, log?: (line: string) => void): Promise<number> {
  const db = await database();
  const claimed = await claim(db.sql, batchSize);
  if (claimed) await deliver(claimed, log);
  return claimed?.rows.length ?? 0;
}

/** Milliseconds until the earliest pending delivery is due (≤ 0: due now), or null when none is pending. */
async function msUntilDue(): Promise<number | null> {
  const db = await database();
  const [row] = await db.sql.query<{ ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM (min(GREATEST("nextAttemptAt", "leaseUntil")) - now())) * 1000)::float8 AS ms FROM "Delivery" WHERE status = 'pending'`,
    [],
    "tagpipe_forward_due",
  );
  return row?.ms ?? null;
}

/**
 * Runs rounds until aborted. With nothing to claim, a round sleeps until the earliest
 * pending delivery is due, or until the collector wakes it (lib/forwarder/wake.ts: new
 * events in this process, NOTIFY from others), at most safetyMs (TAGPIPE_FORWARD_IDLE_MS,
 * 10 s; the rounds after the first six times that): an idle forwarder costs one small
 * query every 10 s (when is the next delivery due?) instead of polling every 250 ms
 * (issue 16's idle cost). Several rounds run at once
 * (TAGPIPE_FORWARD_CONCURRENCY, default 3): a round mostly waits — for its claim, the
 * platforms, its record — and the claims' SKIP LOCKED keeps
 * concurrent rounds from ever taking the same delivery, as they do for separate workers.
 */
/** How many times longer than the first round's safety net the other rounds' is. */
const SPARE_SAFETY = 6;

export async function runWorker(options: WorkerOptions = {}): Promise<void> {
  const idle = options.idleMs ?? 250;
  const safety = options.safetyMs ?? envMs("TAGPIPE_FORWARD_IDLE_MS", 10_000);
  const concurrency = options.concurrency ?? envMs("TAGPIPE_FORWARD_CONCURRENCY", 3);
  const batchSize = options.batchSize ?? envMs("TAGPIPE_FORWARD_BATCH", 2000);
  // Only the first round keeps the safety net while nothing is pending: the others sleep
  // until woken (the first round's work wakes them, as the collector's does) or until a
  // delivery they know of is due, so an idle forwarder runs one round's queries every
  // safetyMs, not one per round. Their own net is SPARE_SAFETY times longer.
  const loop = async (round: number) => {
    // After a safety-net wake-up (nothing woke the round, no delivery was known to be due)
    // the round first asks when the earliest delivery is due — one small query — and
    // claims only if one is: an idle forwarder's net costs one statement, not two.
    let claimFirst = true;
    while (!options.signal?.aborted) {
      if (claimFirst) {
        let handled = 0;
        try {
          handled = await forwardOnce(batchSize, options.log);
        } catch (error) {
          options.log?.(`[forwarder] round failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (handled > 0) {
          // Outcomes were recorded: the health fold has work, here and in other processes.
          outboxWritten();
          continue;
        }
        if (options.signal?.aborted) break;
      }
      let wait = round === 0 ? safety : safety * SPARE_SAFETY;
      // Whether the wait ends at a delivery's due time (then claim), or is only the net.
      let untilDue = false;
      try {
        const due = await msUntilDue();
        if (due !== null && due <= 0 && !claimFirst) {
          claimFirst = true;
          continue;
        }
        if (due !== null) {
          wait = Math.min(safety, Math.max(idle, due));
          untilDue = due <= safety;
        }
      } catch {
        wait = Math.min(safety, 1000);
        untilDue = true;
      }
      claimFirst = (await waitForWork(wait, options.signal)) || untilDue;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, (_, round) => loop(round)));
}
