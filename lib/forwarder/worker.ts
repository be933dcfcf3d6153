// The forwarder: claims due deliveries from the outbox, batches them per destination
// within the platform's limits, sends them, and records the outcome.
//
// Claiming on PostgreSQL locks: a round's transaction picks due rows with FOR UPDATE SKIP
// LOCKED (so any number of workers never claim the same delivery), keeps them locked
// while their requests are in flight, and records the outcomes before it commits — one
// write per delivery. A worker killed mid-batch loses its connection, PostgreSQL rolls
// the transaction back, and the rows are due again at once: nothing is lost; the
// platforms deduplicate a resend by event_id.
//
// Claiming on embedded PGlite takes a lease instead (one connection, which an open
// transaction would hold for the whole round): rows are picked the same way and pushed
// `LEASE_MS` into the future in the same statement, committed at once; a killed worker's
// rows are claimed again when the lease ends.
//
// Retries: timeouts, network errors, 5xx and 429 back off exponentially with jitter
// (honouring Retry-After); other 4xx are dead-lettered with the response at once; a
// delivery failing for 24 hours is dead-lettered too. Dead letters can be replayed. An
// answer that judges each event (Google Ads' partial failure) is recorded per event.
import { database, type Sql } from "../db";
import { readSecrets } from "../config/draft-entities";
import { adapterOf } from "../platforms/adapters";
import { ageProblem, type Adapter, type Job, type Outcome, type Verdict } from "./types";
import { firedInBrowser } from "../platforms/delivery-mode";
import { enhances } from "../platforms/google-ads/server";

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** PGlite: how long a claim is exclusive; a killed worker's rows are claimed again after it (TAGPIPE_FORWARD_LEASE_MS). */
const LEASE_MS = envMs("TAGPIPE_FORWARD_LEASE_MS", 60_000);
const GIVE_UP_MS = 24 * 3600 * 1000;
/** A request must end well inside the lease, or another worker could claim its rows and send them again while it is in flight. */
const TIMEOUT_MS = Math.min(10_000, Math.floor(LEASE_MS / 3));

export type WorkerOptions = { batchSize?: number; idleMs?: number; concurrency?: number; signal?: AbortSignal; log?: (line: string) => void };

type Row = {
  id: string;
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

/** The due deliveries' ids (at most $1), locked; rows another round holds are skipped. */
const DUE = `due AS (
  SELECT id FROM "Delivery"
  WHERE status = 'pending' AND "nextAttemptAt" <= now()
  ORDER BY "nextAttemptAt"
  LIMIT $1
  FOR UPDATE SKIP LOCKED)`;
const EVENT_COLUMNS = `e.name, e."eventId", e."orderId", e.params, e."userData", e.context, e."eventTime", e.source`;

/** PostgreSQL: due rows locked by the caller's open transaction; attempts and firstAttemptAt as of this attempt. */
async function claimLocked(sql: Sql, limit: number): Promise<Row[]> {
  return sql.query<Row>(
    // The lock is taken on ids alone: rows skipped because another round holds them cost an
    // index probe, not a join with their events.
    `WITH ${DUE}
     SELECT d.id, d."destinationId", d.platform, d."eventName", d.target, d.attempts + 1 AS attempts,
            COALESCE(d."firstAttemptAt", now()) AS "firstAttemptAt", ${EVENT_COLUMNS}
     FROM due JOIN "Delivery" d ON d.id = due.id JOIN "CollectedEvent" e ON e.id = d."collectedEventId"`,
    [limit],
    "tagpipe_forward_claim",
  );
}

/** PGlite: due rows leased to this round for LEASE_MS, committed at once. */
async function claimLeased(sql: Sql, limit: number): Promise<Row[]> {
  return sql.query<Row>(
    `WITH ${DUE}, claimed AS (
       UPDATE "Delivery" d SET "nextAttemptAt" = now() + ($2 || ' milliseconds')::interval,
         attempts = d.attempts + 1, "firstAttemptAt" = COALESCE(d."firstAttemptAt", now())
       FROM due WHERE d.id = due.id
       RETURNING d.*
     )
     SELECT c.id, c."destinationId", c.platform, c."eventName", c.target, c.attempts, c."firstAttemptAt", ${EVENT_COLUMNS}
     FROM claimed c JOIN "CollectedEvent" e ON e.id = c."collectedEventId"`,
    [limit, String(LEASE_MS)],
  );
}

/** "skip": not sent, on purpose (the browser's tag reported the conversion): recorded as suppressed. */
type Result = { ids: string[]; outcome: Outcome | "skip"; status: number | null; response: string; retryAfter?: string | null };

/** What is kept of an answer in the outbox row (the adapter reads all of it: per-event errors of a full batch run long). */
const STORED_RESPONSE_CHARS = 2000;

/** One request and what the platform said; null when no answer came (timeout, network). */
async function post(adapter: Adapter, jobs: Job[], secrets: Record<string, string>): Promise<{ status: number; text: string; retryAfter: string | null } | { error: string } | { failed: string }> {
  const request = adapter.build(jobs, secrets);
  if ("error" in request) return { failed: request.error };
  try {
    const response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: response.status, text: await response.text(), retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
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
  let answer = await post(adapter, jobs, credentials);
  // An access token the platform no longer takes (revoked, or expired early): renewed once;
  // a second 401 is the platform's word, and dead-letters the batch with its message.
  if (adapter.authorize && "status" in answer && answer.status === 401) {
    const renewed = await adapter.authorize(secrets, credentials.accessToken);
    if ("error" in renewed) return [{ ids, outcome: renewed.retry ? "retry" : "fail", status: 401, response: renewed.error }];
    answer = await post(adapter, jobs, renewed.secrets);
  }
  if ("failed" in answer) return [{ ids, outcome: "fail", status: null, response: answer.failed }];
  if ("error" in answer) return [{ ids, outcome: "retry", status: null, response: answer.error }];
  const { status, text, retryAfter } = answer;
  const stored = text.slice(0, STORED_RESPONSE_CHARS);
  const ok = status >= 200 && status < 300;
  const outcome = adapter.outcome ? adapter.outcome(status, text, jobs.length) : ok ? "ok" : status === 429 || status >= 500 ? "retry" : "fail";
  if (typeof outcome === "string") return [{ ids, outcome, status, response: stored, retryAfter }];
  return perEvent(ids, outcome, status, stored);
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
 * at once: left out silently they would be claimed again after every lease, and sent in
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

/**
 * Writes the outcomes. `counted`: the claim already counted the attempt (a lease); a
 * locked claim counts it here, in the same write.
 */
async function record(sql: Sql, results: Result[], rows: Map<string, Row>, counted: boolean): Promise<void> {
  const attempt = counted ? "" : `, attempts = d.attempts + 1, "firstAttemptAt" = COALESCE(d."firstAttemptAt", now())`;
  const now = Date.now();
  const delivered: string[] = [];
  const retry: { id: string; at: string; status: number | null; error: string }[] = [];
  const dead: { id: string; status: number | null; error: string }[] = [];
  const skipped: { id: string; error: string }[] = [];
  for (const r of results) {
    if (r.outcome === "skip") {
      for (const id of r.ids) skipped.push({ id, error: r.response });
      continue;
    }
    // One backoff per request, not per row: the rows of a failed batch come due together
    // and are sent as one batch again, instead of scattering over the jitter window into
    // as many small requests.
    const attempts = Math.max(...r.ids.map((id) => rows.get(id)!.attempts));
    const at = r.outcome === "retry" ? new Date(now + backoffMs(attempts, r.retryAfter)).toISOString() : "";
    for (const id of r.ids) {
      const row = rows.get(id)!;
      if (r.outcome === "ok") delivered.push(id);
      else if (r.outcome === "fail" || now - new Date(row.firstAttemptAt ?? now).getTime() > GIVE_UP_MS) dead.push({ id, status: r.status, error: r.response });
      else retry.push({ id, at, status: r.status, error: r.response });
    }
  }
  if (delivered.length) {
    await sql.query(`UPDATE "Delivery" d SET status = 'delivered', "deliveredAt" = now(), "lastStatus" = 200, "lastError" = NULL${attempt} WHERE id = ANY($1::text[])`, [delivered]);
  }
  if (retry.length) {
    await sql.query(
      `UPDATE "Delivery" d SET "nextAttemptAt" = t.at, "lastStatus" = t.status, "lastError" = t.error${attempt}
       FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::text[]) AS t(id, at, status, error) WHERE d.id = t.id`,
      [retry.map((r) => r.id), retry.map((r) => r.at), retry.map((r) => r.status), retry.map((r) => r.error)],
    );
  }
  if (skipped.length) {
    await sql.query(
      `UPDATE "Delivery" d SET status = 'suppressed', "lastError" = t.error${attempt}
       FROM unnest($1::text[], $2::text[]) AS t(id, error) WHERE d.id = t.id`,
      [skipped.map((r) => r.id), skipped.map((r) => r.error)],
    );
  }
  if (dead.length) {
    await sql.query(
      `UPDATE "Delivery" d SET status = 'dead', "lastStatus" = t.status, "lastError" = t.error, "lastResponse" = t.error${attempt}
       FROM unnest($1::text[], $2::int[], $3::text[]) AS t(id, status, error) WHERE d.id = t.id`,
      [dead.map((r) => r.id), dead.map((r) => r.status), dead.map((r) => r.error)],
    );
  }
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

/** Sends claimed rows and records the outcomes. */
async function deliver(sql: Sql, rows: Row[], counted: boolean): Promise<void> {
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
  results.push(...refused.map((r): Result => ({ ids: [r.id], outcome: "fail", status: null, response: r.reason })));
  results.push(...suppressed.map((r): Result => ({ ids: [r.id], outcome: "skip", status: null, response: r.reason })));
  await record(sql, results, new Map(rows.map((r) => [r.id, r])), counted);
}

/** One round: claim, send, record. Returns how many deliveries it handled. */
export async function forwardOnce(batchSize = 2000): Promise<number> {
  const db = await database();
  if (db.kind === "postgres") {
    return db.transaction(async (sql) => {
      const rows = await claimLocked(sql, batchSize);
      if (rows.length) await deliver(sql, rows, false);
      return rows.length;
    });
  }
  const rows = await claimLeased(db.sql, batchSize);
  if (rows.length) await deliver(db.sql, rows, true);
  return rows.length;
}

/**
 * Runs rounds until aborted; sleeps when there is nothing due. Several rounds run at once
 * (TAGPIPE_FORWARD_CONCURRENCY, default 3): a round mostly waits — for its claim, the
 * platforms, its record — and the claims' SKIP LOCKED (and PGlite's leases) keep
 * concurrent rounds from ever taking the same delivery, as they do for separate workers.
 */
export async function runWorker(options: WorkerOptions = {}): Promise<void> {
  const idle = options.idleMs ?? 250;
  const concurrency = options.concurrency ?? envMs("TAGPIPE_FORWARD_CONCURRENCY", 3);
  const batchSize = options.batchSize ?? envMs("TAGPIPE_FORWARD_BATCH", 2000);
  const loop = async () => {
    while (!options.signal?.aborted) {
      let handled = 0;
      try {
        handled = await forwardOnce(batchSize);
      } catch (error) {
        options.log?.(`[forwarder] round failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (handled === 0) await new Promise((resolve) => setTimeout(resolve, idle));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, loop));
}
