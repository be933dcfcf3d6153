// The leader (lib/leader.ts) checks its lock only every LEADER_CHECK_FACTOR bids while it
// leads: what tells it at once that it lost the lock is its connection's end. This test
// ends the leader's session from outside (as a server restart or an operator would) and
// expects the jobs stopped at once, long before the next check, and the lead taken again
// at the next bid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, queryDatabase } from "../helpers/postgres";

const RETRY_MS = 1000;

describe("the scheduled jobs' leader", () => {
  let db: { name: string; url: string };
  beforeAll(async () => {
    db = await createDatabase("leader");
    process.env.DATABASE_URL = db.url;
    process.env.TAGPIPE_LEADER_RETRY_MS = String(RETRY_MS);
  });
  afterAll(async () => {
    const { closeDatabase } = await import("../../lib/db");
    await closeDatabase();
    await dropDatabase(db.name);
  });

  it("stops its jobs the moment its session ends, and leads again at its next bid", { timeout: 30_000 }, async () => {
    const { leadScheduledJobs, LEADER_CHECK_FACTOR } = await import("../../lib/leader");
    const events: string[] = [];
    const stop = leadScheduledJobs([{ name: "probe", start: () => (events.push("start"), async () => void events.push("stop")) }], () => {});
    const until = async (what: () => boolean, ms: number, label: string) => {
      for (const deadline = Date.now() + ms; !what(); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() > deadline) throw new Error(`${label}: not within ${ms} ms (events: ${events.join(", ")})`);
      }
    };
    try {
      await until(() => events.includes("start"), 5000, "leading");
      // Past the first check, so the next is LEADER_CHECK_FACTOR bids away.
      await new Promise((r) => setTimeout(r, 200));
      const ended = Date.now();
      const [{ count }] = await queryDatabase<{ count: string }>(
        db.url,
        `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tagpipe-leader' AND datname = current_database()) t`,
      );
      expect(Number(count)).toBe(1);
      await until(() => events.includes("stop"), 2000, "stepping down");
      expect(Date.now() - ended).toBeLessThan((RETRY_MS * LEADER_CHECK_FACTOR) / 2);
      // Bids again as a follower does: every RETRY_MS, not after the leader's long check.
      await until(() => events.filter((e) => e === "start").length === 2, RETRY_MS * 3, "leading again");
      // Exactly one session holds the lock.
      const holders = await queryDatabase<{ n: string }>(db.url, `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7243100 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      expect(Number(holders[0].n)).toBe(1);
    } finally {
      await stop();
    }
    expect(events.at(-1)).toBe("stop");
  });
});
