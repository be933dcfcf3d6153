// The retention schedule: every TAGPIPE_RETENTION_INTERVAL_MS (1 h), aligned to the clock,
// each process that runs the forwarder tries to claim the pass — INSERT of its scheduled
// start into RetentionRun, ON CONFLICT DO NOTHING — and only the one whose insert went in
// runs it (the alert schedule's way, lib/health/alerts/loop.ts). A pass that dies midway
// loses nothing: every batch committed on its own, and the next pass carries on.
import crypto from "node:crypto";
import os from "node:os";
import { database } from "../db";
import { env } from "../env";
import { runRetention } from "./retention";

const KEEP_RUNS_DAYS = 30;

async function runPass(start: Date, claimant: string, signal: AbortSignal, log: (line: string) => void): Promise<void> {
  const { sql } = await database();
  const at = start.toISOString().replace("Z", "");
  const claimed = await sql.query(`INSERT INTO "RetentionRun" ("startAt", "claimedBy") VALUES ($1::timestamp, $2) ON CONFLICT DO NOTHING RETURNING 1`, [at, claimant]);
  if (claimed.length !== 1) return;
  let deleted = {};
  let error: string | null = null;
  try {
    const result = await runRetention({ signal });
    deleted = result.deleted;
    const total = Object.values(result.deleted).reduce((a, b) => a + b, 0);
    if (total) log(`[retention] deleted ${Object.entries(result.deleted).map(([t, n]) => `${n} ${t}`).join(", ")} in ${result.ms} ms`);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    log(`[retention] pass failed: ${error}`);
  }
  await sql.query(`UPDATE "RetentionRun" SET "finishedAt" = (now() AT TIME ZONE 'UTC'), deleted = $2::jsonb, error = $3 WHERE "startAt" = $1::timestamp`, [at, JSON.stringify(deleted), error]);
  await sql.query(`DELETE FROM "RetentionRun" WHERE "startAt" < $1::timestamp`, [new Date(start.getTime() - KEEP_RUNS_DAYS * 86_400_000).toISOString().replace("Z", "")]);
}

/** Starts the schedule in this process (unless TAGPIPE_RETENTION=0); the stop function ends a running pass between batches. */
export function startRetention(log: (line: string) => void): () => Promise<void> {
  const { TAGPIPE_RETENTION, TAGPIPE_RETENTION_INTERVAL_MS: interval } = env();
  if (TAGPIPE_RETENTION === "0") return async () => {};
  const claimant = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    const next = (Math.floor(Date.now() / interval) + 1) * interval;
    timer = setTimeout(() => {
      running = runPass(new Date(next), claimant, stop.signal, log)
        .catch((error) => log(`[retention] pass failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          if (!stop.signal.aborted) schedule();
        });
    }, next - Date.now());
    timer.unref?.();
  };
  schedule();
  return async () => {
    stop.abort();
    clearTimeout(timer);
    await running;
  };
}
