// Deleting a site or a team answers at once; its collected data goes in the background.
// The deletion's transaction removes the configuration (foreign-key cascade: from then on
// the site or team is gone from every page, list and API answer, its scripts 404 and its
// beacons are refused as an unknown key's — announceConfigChange clears every process's
// caches) and, in the same transaction, writes a PurgeJob row naming what its data is
// found by (lib/config/purge.ts's keys). So a crash at any point leaves either the site
// with its data, or no site and a record of the data left: never data nobody will delete.
//
// The process that runs the scheduled jobs (lib/leader.ts: exactly one on the database)
// purges each recorded job in the retention's bounded batches with its pause between them
// (no long lock, intake keeps the database), records its progress in the row, sweeps once
// more when the deletion has had time to reach every process (an event accepted in that
// moment is removed too), then deletes the row. Stopped midway (shutdown, lost leadership,
// SIGKILL), a job stays recorded and the next leader runs it again from what is left:
// every batch committed on its own, so nothing is deleted twice and nothing is skipped.
// A new job wakes the leader through the forwarder's wake-up (NOTIFY tagpipe_outbox, heard
// by every forwarding process's LISTEN connection, lib/forwarder/wake.ts); a slow poll is
// the safety net.
import type { Prisma } from "../generated/prisma/client";
import type { Tx } from "../audit/record";
import { database } from "../db";
import { env } from "../env";
import { OUTBOX_CHANNEL, waitForWork, workDone } from "../forwarder/wake";
import { purgeData, purgeTeamRemains, sleep, type DrainOptions, type PurgeKeys, type Purged } from "./purge";

/**
 * A job is swept a second time once it is this old: longer than a deletion takes to reach
 * every process's caches (at once by NOTIFY; the caches' 2–3 s TTLs if that is down) and
 * than the collector's group commit, so what was accepted meanwhile goes too.
 */
export const PURGE_GRACE_MS = 5_000;
/** The longest sleep when no job is known (a missed wake-up costs at most this). */
const SAFETY_MS = 60_000;
/** At most one look for new jobs a second, however often the collector's commits wake the forwarder. */
const MIN_CHECK_MS = 1_000;
/** After a failed run (the database unreachable…), the next try. */
const RETRY_MS = 10_000;

export type PurgeJobInput = { teamId: string; siteId?: string; label: string; keys: PurgeKeys[]; wholeTeam?: boolean };

/** Records what a deletion leaves to purge; call inside the deletion's transaction, then purgeRecorded() after it commits. */
export async function recordPurge(tx: Tx, job: PurgeJobInput): Promise<void> {
  await tx.purgeJob.create({
    data: {
      teamId: job.teamId,
      siteId: job.siteId ?? null,
      label: job.label,
      keys: job.keys as unknown as Prisma.InputJsonValue,
      wholeTeam: job.wholeTeam ?? false,
      // Set here (UTC), not by the database's clock in the session's time zone: the grace is counted from it.
      createdAt: new Date(),
    },
  });
  await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}

/** After the deletion committed: wakes this process's purger now (the others heard NOTIFY at commit). */
export function purgeRecorded(): void {
  workDone();
}

/** The deleted sites of a team whose data is still being removed (the Sites page says so). */
export async function pendingSitePurges(teamId: string): Promise<{ siteId: string; label: string; since: Date }[]> {
  const { sql } = await database();
  const rows = await sql.query<{ siteId: string; label: string; ms: number }>(
    `SELECT "siteId", label, (extract(epoch FROM "createdAt") * 1000)::float8 AS ms FROM "PurgeJob" WHERE "teamId" = $1 AND "siteId" IS NOT NULL ORDER BY "createdAt"`,
    [teamId],
  );
  return rows.map((r) => ({ siteId: r.siteId, label: r.label, since: new Date(r.ms) }));
}

type Job = { id: string; teamId: string; label: string; keys: PurgeKeys[]; wholeTeam: boolean; purged: Purged; createdMs: number };

const merge = (into: Purged, more: Purged) => {
  for (const [table, n] of Object.entries(more)) into[table] = (into[table] ?? 0) + n;
};

export type PurgeRunOptions = Omit<DrainOptions, "batch"> & { log?: (line: string) => void };

/**
 * Purges every recorded job, oldest first, removing each when done; answers how many
 * finished. An aborted run stops between batches and leaves its job recorded.
 */
export async function runPurges(options: PurgeRunOptions = {}): Promise<number> {
  const { sql } = await database();
  const jobs = await sql.query<Job>(
    `SELECT id, "teamId", label, keys, "wholeTeam", purged, (extract(epoch FROM "createdAt") * 1000)::float8 AS "createdMs" FROM "PurgeJob" ORDER BY "createdAt", id`,
  );
  const drain: DrainOptions = { pauseMs: options.pauseMs, signal: options.signal };
  let finished = 0;
  for (const job of jobs) {
    if (options.signal?.aborted) break;
    const started = Date.now();
    const purged: Purged = { ...job.purged };
    const pass = async () => {
      for (const keys of job.keys) {
        merge(purged, await purgeData(keys, drain));
        await sql.query(`UPDATE "PurgeJob" SET purged = $2::jsonb WHERE id = $1`, [job.id, JSON.stringify(purged)]);
      }
      if (job.wholeTeam) merge(purged, await purgeTeamRemains(job.teamId, drain));
    };
    await pass();
    await sleep(job.createdMs + PURGE_GRACE_MS - Date.now(), options.signal);
    if (options.signal?.aborted) break;
    await pass();
    if (options.signal?.aborted) break;
    await sql.query(`DELETE FROM "PurgeJob" WHERE id = $1`, [job.id]);
    finished++;
    const rows = Object.entries(purged).filter(([, n]) => n > 0);
    options.log?.(`[purge] ${job.label}: deleted ${rows.length ? rows.map(([t, n]) => `${n} ${t}`).join(", ") : "nothing"} in ${Date.now() - started} ms`);
  }
  return finished;
}

/** The scheduled job (lib/leader.ts): purges what deletions recorded, woken when one commits; the stop function ends it between batches. */
export function startPurging(log: (line: string) => void): () => Promise<void> {
  const stop = new AbortController();
  const { signal } = stop;
  const running = (async () => {
    while (!signal.aborted) {
      const checked = Date.now();
      try {
        await runPurges({ pauseMs: env().TAGPIPE_RETENTION_PAUSE_MS, signal, log });
      } catch (error) {
        log(`[purge] failed (${error instanceof Error ? error.message : String(error)}); retrying in ${RETRY_MS / 1000} s`);
        await sleep(RETRY_MS, signal);
      }
      await waitForWork(SAFETY_MS, signal);
      await sleep(checked + MIN_CHECK_MS - Date.now(), signal);
    }
  })();
  return async () => {
    stop.abort();
    await running;
  };
}
