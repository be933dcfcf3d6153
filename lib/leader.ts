// Exactly one process on the database runs the scheduled jobs (alert evaluation, the
// health rollups' fold, the shared rate limits' clean-up): the one holding a PostgreSQL
// advisory lock. Every process that runs the forwarder (`npm start` unless
// TAGPIPE_WORKER=0, each `npm run worker`) keeps one dedicated connection outside the
// pools and tries `pg_try_advisory_lock` on it; the lock is a session lock, held as long
// as that connection lives. When the leader dies — SIGKILL included — its connection
// closes, PostgreSQL releases the lock, and the next process to try (every
// TAGPIPE_LEADER_RETRY_MS, 5 s) takes over. A leader whose connection fails stops its
// jobs at once: the connection's end or error event drops the lead the moment
// PostgreSQL closes the session (the server stopped or died, the session was
// terminated) — the same moment the lock is released. A `SELECT 1` every
// LEADER_CHECK_FACTOR retries (30 s) is only a safety net on top of that: it ran every
// 5 s before, the most frequent statement of an idle Tagpipe, to learn what the event
// already tells. The jobs guard themselves too (an alert interval is claimed once in
// AlertRun, a fold holds a transaction-level advisory lock).
import pg from "pg";
import { database } from "./db";
import { env } from "./env";

/** The advisory lock's key (lib/team/accounts.ts uses 7243001 for sign-up). */
export const LEADER_LOCK = 7243100;

/** The leader checks its connection every this many bidding intervals (its end event drops the lead at once). */
export const LEADER_CHECK_FACTOR = 6;

/** A scheduled job: started when this process becomes the leader; the function it returns stops it. */
export type Job = { name: string; start(log: (line: string) => void): () => Promise<void> };

/** Runs `jobs` while this process holds the leader lock; returns a stop function. */
export function leadScheduledJobs(jobs: Job[], log: (line: string) => void): () => Promise<void> {
  const retryMs = env().TAGPIPE_LEADER_RETRY_MS;
  let stopped = false;
  let client: pg.Client | null = null;
  let stops: (() => Promise<void>)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let leading = false;

  const stepDown = async (why: string) => {
    if (leading) log(`[leader] no longer the leader (${why}): scheduled jobs stopped`);
    leading = false;
    const running = stops;
    stops = [];
    await Promise.all(running.map((stop) => stop().catch(() => {})));
  };

  const drop = async (why: string) => {
    const open = client;
    client = null;
    await stepDown(why);
    await open?.end().catch(() => {});
  };

  // One attempt: connect if needed, then take the lock (a follower) or check the
  // connection still holds it (the leader).
  const attempt = async () => {
    if (stopped) return;
    try {
      if (!client) {
        const next = new pg.Client({ connectionString: (await database()).url, application_name: "tagpipe-leader" });
        next.on("error", () => {});
        next.on("end", () => {
          if (client !== next) return;
          void drop("connection closed");
          // A leader's next check may be up to LEADER_CHECK_FACTOR intervals away: bid again as a follower would.
          if (timer && !stopped && !looping) {
            clearTimeout(timer);
            timer = setTimeout(() => void loop(), retryMs);
            timer.unref?.();
          }
        });
        await next.connect();
        if (stopped) {
          await next.end().catch(() => {});
          return;
        }
        client = next;
      }
      if (leading) {
        await client.query("SELECT 1");
      } else {
        const [{ locked }] = (await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LEADER_LOCK}) AS locked`)).rows;
        if (locked && !stopped) {
          leading = true;
          log(`[leader] pid ${process.pid} runs the scheduled jobs: ${jobs.map((j) => j.name).join(", ")}`);
          stops = jobs.map((job) => job.start(log));
        }
      }
    } catch (error) {
      await drop(error instanceof Error ? error.message : String(error));
    }
  };

  let looping = false;
  const loop = async () => {
    looping = true;
    await attempt();
    looping = false;
    if (!stopped) {
      timer = setTimeout(() => void loop(), leading ? retryMs * LEADER_CHECK_FACTOR : retryMs);
      timer.unref?.();
    }
  };
  void loop();
  log(`[leader] pid ${process.pid} standing by for the scheduled jobs (bids every ${retryMs / 1000} s)`);

  return async () => {
    stopped = true;
    clearTimeout(timer);
    // Ending the session releases the lock: another process takes over at its next try.
    await drop("stopping");
  };
}
