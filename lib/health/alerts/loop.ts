// The alert schedule: every TAGPIPE_ALERT_INTERVAL_MS (60 s), aligned to the clock, in
// the one process that leads the scheduled jobs (lib/leader.ts). Each interval is still
// claimed — INSERT of its start into AlertRun, ON CONFLICT DO NOTHING — so that a leader
// that lost its lock's connection and a new one, overlapping for a moment, evaluate it
// once; if the leader dies mid-way, the next interval's run (the new leader's) carries on
// (incidents and their notifications are idempotent, see lib/health/incidents.ts).
import crypto from "node:crypto";
import os from "node:os";
import { database } from "../../db";
import { env } from "../../env";
import { evaluateAll } from "./evaluate";

const KEEP_RUNS_DAYS = 7;

/** Claims the interval starting at `start`; true when this process is the one to evaluate it. */
export async function claimInterval(start: Date, claimant: string): Promise<boolean> {
  const db = await database();
  const rows = await db.sql.query(
    `INSERT INTO "AlertRun" ("intervalStart", "claimedBy") VALUES ($1::timestamp, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [start.toISOString().replace("Z", ""), claimant],
  );
  return rows.length === 1;
}

async function runInterval(start: Date, claimant: string, log: (line: string) => void): Promise<void> {
  if (!(await claimInterval(start, claimant))) return;
  const db = await database();
  const at = start.toISOString().replace("Z", "");
  let error: string | null = null;
  let result = { opened: 0, resolved: 0, sent: 0, failed: 0 };
  try {
    result = await evaluateAll(new Date(), log);
    if (result.opened || result.resolved) log(`[alerts] ${result.opened} incidents opened, ${result.resolved} resolved, ${result.sent} notifications sent`);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    log(`[alerts] evaluation failed: ${error}`);
  }
  await db.sql.query(
    `UPDATE "AlertRun" SET "finishedAt" = (now() AT TIME ZONE 'UTC'), "incidentsOpened" = $2, "incidentsResolved" = $3, error = $4 WHERE "intervalStart" = $1::timestamp`,
    [at, result.opened, result.resolved, error],
  );
  await db.sql.query(`DELETE FROM "AlertRun" WHERE "intervalStart" < $1::timestamp`, [new Date(start.getTime() - KEEP_RUNS_DAYS * 86_400_000).toISOString().replace("Z", "")]);
}

/** Starts the schedule in this process (unless TAGPIPE_ALERTS=0); returns a stop function that waits for a running evaluation. */
export function startAlerts(log: (line: string) => void): () => Promise<void> {
  const { TAGPIPE_ALERTS, TAGPIPE_ALERT_INTERVAL_MS: interval } = env();
  if (TAGPIPE_ALERTS === "0") return async () => {};
  const claimant = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    const next = (Math.floor(Date.now() / interval) + 1) * interval;
    timer = setTimeout(() => {
      running = runInterval(new Date(next), claimant, log)
        .catch((error) => log(`[alerts] interval failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, next - Date.now());
    timer.unref?.();
  };
  schedule();
  log(`[alerts] evaluating every ${interval / 1000} s`);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
