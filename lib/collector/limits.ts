// The collector's per-IP and per-key limits, shared by every collecting process on the
// database (several `npm run collector` behind a load balancer count as one).
//
// No request waits for the store:
//   - each process counts what it lets through per key and clock-aligned window (a Map
//     lookup, synchronous), and refuses past the limit on its own: one process alone never
//     lets more through than the limit, also while the shared store is unreachable (what
//     it could not send stays counted here);
//   - every TAGPIPE_RATE_SYNC_MS (100 ms), while there is anything to send, it sends all
//     of its new counts in ONE statement (PostgreSQL, the default: an upsert into the
//     unlogged table "RateLimitCount") or ONE pipelined round trip (Redis, when REDIS_URL
//     is set), whose answer is every key's total across processes. A request is refused
//     when the last known total plus what this process let through since reaches the limit.
// So a client spread over several processes is held to the limit as a whole, give or
// take what it sends during one sync (the counts are approximate by up to
// TAGPIPE_RATE_SYNC_MS of its traffic). rate-limiter-flexible's own PostgreSQL and Redis
// stores were not used for the shared layer: they spend one round trip per key and
// request, which on a storefront's traffic is a query per event; nor its in-memory
// limiter in front (as before): its promise per call cost more than this count
// (measured: docs/hardening.md).
import { database } from "../db";
import { env } from "../env";

/** A refusal: how long until the limit lets the key through again. */
export type Refusal = { retryAfterMs: number };

/** Where the shared counts live. `add` adds each key's points to its window and answers each key's total. */
export type SharedStore = {
  name: string;
  add(window: number, windowMs: number, keys: string[], points: number[]): Promise<number[]>;
  close(): Promise<void>;
};

/** One limit (`points` per `windowMs`), counted here and shared. */
export class SharedLimit {
  /** End of the clock-aligned window the maps below count (epoch ms). */
  private windowEnd = 0;
  /** Let through here this window, not yet counted by the store. */
  private pending = new Map<string, number>();
  /** Sent to the store, answer not back yet. */
  private inFlight = new Map<string, number>();
  /** Each key's total across processes, as the store last answered (this process's sent counts included). */
  private known = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly points: number,
    readonly windowMs: number,
    private readonly sync: LimitSync | null,
  ) {}

  /** Counts one request of `key`; null when it may pass. */
  take(key: string): Refusal | null {
    const now = Date.now();
    if (now >= this.windowEnd) this.turn(now);
    const pending = this.pending.get(key) ?? 0;
    const shared = this.sync ? (this.known.get(key) ?? 0) + (this.inFlight.get(key) ?? 0) : 0;
    if (pending + shared >= this.points) return { retryAfterMs: this.windowEnd - now };
    this.pending.set(key, pending + 1);
    this.sync?.due();
    return null;
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  private turn(now: number): void {
    this.windowEnd = (Math.floor(now / this.windowMs) + 1) * this.windowMs;
    this.pending = new Map();
    this.inFlight = new Map();
    this.known = new Map();
  }

  /** Takes what is pending for a sync: the store keys (`name:key`), points, and a function to apply the answer. */
  drain(): { window: number; keys: string[]; points: number[]; answer(totals: number[] | null): void } | null {
    if (Date.now() >= this.windowEnd || !this.pending.size) return null;
    const window = this.windowEnd / this.windowMs - 1;
    const end = this.windowEnd;
    const sent = this.pending;
    this.pending = new Map();
    for (const [key, n] of sent) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + n);
    // Sorted: two processes upserting the same keys lock them in one order (no deadlock).
    const keys = [...sent.keys()].sort();
    return {
      window,
      keys: keys.map((k) => `${this.name}:${k}`),
      points: keys.map((k) => sent.get(k)!),
      answer: (totals) => {
        if (end !== this.windowEnd) return;
        keys.forEach((key, i) => {
          const left = (this.inFlight.get(key) ?? 0) - sent.get(key)!;
          if (left > 0) this.inFlight.set(key, left);
          else this.inFlight.delete(key);
          // Not counted by the store (it failed): back to pending, sent with the next sync.
          if (!totals) this.pending.set(key, (this.pending.get(key) ?? 0) + sent.get(key)!);
          else this.known.set(key, Math.max(this.known.get(key) ?? 0, totals[i]));
        });
      },
    };
  }
}

/** Sends the limits' pending counts to the store, at most every `everyMs`, only while there are any (an idle process sends nothing). */
export class LimitSync {
  private timer: NodeJS.Timeout | null = null;
  private limits: SharedLimit[] = [];
  private lastError = -Infinity;

  constructor(
    private readonly store: SharedStore,
    private readonly everyMs: number,
  ) {}

  register(limit: SharedLimit): void {
    this.limits.push(limit);
  }

  due(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.everyMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    const batches = this.limits.flatMap((limit) => {
      const batch = limit.drain();
      return batch ? [{ limit, batch }] : [];
    });
    try {
      // Limits of one window length share a statement; in practice every limit is per second.
      const byWindow = new Map<string, typeof batches>();
      for (const b of batches) {
        const id = `${b.batch.window}:${b.limit.windowMs}`;
        byWindow.set(id, [...(byWindow.get(id) ?? []), b]);
      }
      for (const group of byWindow.values()) {
        const { window } = group[0].batch;
        const keys = group.flatMap((b) => b.batch.keys);
        const points = group.flatMap((b) => b.batch.points);
        let totals: number[] | null = null;
        try {
          totals = await this.store.add(window, group[0].limit.windowMs, keys, points);
        } catch (error) {
          if (Date.now() - this.lastError > 60_000) {
            this.lastError = Date.now();
            console.error(`[limits] the shared ${this.store.name} store failed (${error instanceof Error ? error.message : String(error)}); each process limits on its own meanwhile`);
          }
        }
        let at = 0;
        for (const b of group) {
          const n = b.batch.keys.length;
          b.batch.answer(totals ? totals.slice(at, at + n) : null);
          at += n;
        }
      }
    } finally {
      this.timer = null;
      if (this.limits.some((l) => l.hasPending())) this.due();
    }
  }
}

/**
 * PostgreSQL: one upsert per sync. "RateLimitCount" is UNLOGGED (counts of the last
 * second need no WAL and no crash safety) with one row per key, reset when a new window
 * reaches it; the leader's clean-up deletes rows idle for a minute.
 */
export function postgresStore(): SharedStore {
  return {
    name: "PostgreSQL",
    async add(window, windowMs, keys, points) {
      const db = await database();
      const rows = await db.sql.query<{ points: number }>(
        `INSERT INTO "RateLimitCount" AS r (key, "window", points, "updatedAt")
         SELECT k, $3::int8, p, now() FROM unnest($1::text[], $2::int4[]) WITH ORDINALITY AS t(k, p, i) ORDER BY i
         ON CONFLICT (key) DO UPDATE SET
           points = CASE WHEN r."window" = EXCLUDED."window" THEN r.points + EXCLUDED.points
                         WHEN r."window" > EXCLUDED."window" THEN r.points ELSE EXCLUDED.points END,
           "window" = GREATEST(r."window", EXCLUDED."window"),
           "updatedAt" = now()
         RETURNING points`,
        [keys, points, window * windowMs],
        "tagpipe_limits_add",
      );
      return rows.map((r) => Number(r.points));
    },
    close: async () => {},
  };
}

/** The leader's job: deletes counts idle for a minute (an IP seen once would otherwise keep its row). */
export async function pruneRateLimitCounts(): Promise<number> {
  const db = await database();
  const rows = await db.sql.query(`DELETE FROM "RateLimitCount" WHERE "updatedAt" < now() - interval '1 minute' RETURNING 1`);
  return rows.length;
}

/** Starts the clean-up, once a minute (a scheduled job: lib/leader.ts). */
export function startPruning(log: (line: string) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = pruneRateLimitCounts().catch((error) => log(`[limits] clean-up failed: ${error instanceof Error ? error.message : String(error)}`));
  }, 60_000);
  timer.unref?.();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Redis (REDIS_URL): one pipelined round trip per sync — INCRBY and PEXPIRE per key and window. */
export async function redisStore(url: string): Promise<SharedStore> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on("error", () => {
    // Reported by the sync that fails; ioredis reconnects by itself.
  });
  return {
    name: "Redis",
    async add(window, windowMs, keys, points) {
      const pipeline = redis.pipeline();
      keys.forEach((key, i) => {
        const name = `tagpipe:limit:${key}:${window}`;
        pipeline.incrby(name, points[i]);
        pipeline.pexpire(name, windowMs * 2);
      });
      const results = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => {
        const [error, total] = results[i * 2] ?? [new Error("no answer")];
        if (error) throw error;
        return Number(total);
      });
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

/** A store made on first use (Redis's client is imported only when REDIS_URL is set). */
function lazyStore(name: string, make: () => Promise<SharedStore>): SharedStore {
  let made: Promise<SharedStore> | null = null;
  return {
    name,
    add: async (...args) => (await (made ??= make())).add(...args),
    close: async () => (made ? (await made).close() : undefined),
  };
}

export type CollectLimits = { perIp: SharedLimit; perKey: SharedLimit };
const KEY = Symbol.for("tagpipe.collectLimits");

/**
 * The process's two collector limits, on globalThis (the collector runs in server.ts's
 * module graph, test events in Next's): TAGPIPE_COLLECT_RATE_PER_IP (100) and
 * TAGPIPE_COLLECT_RATE_PER_KEY (20,000) a second, shared through REDIS_URL's Redis or
 * else the database; TAGPIPE_RATE_SYNC_MS=0 keeps each process's limits its own.
 */
export function collectLimits(perIp: number, perKey: number): CollectLimits {
  const holder = globalThis as { [KEY]?: CollectLimits };
  if (!holder[KEY]) {
    const { REDIS_URL, TAGPIPE_RATE_SYNC_MS } = env();
    const store = REDIS_URL ? lazyStore("Redis", () => redisStore(REDIS_URL)) : postgresStore();
    const sync = TAGPIPE_RATE_SYNC_MS > 0 ? new LimitSync(store, TAGPIPE_RATE_SYNC_MS) : null;
    const limits = { perIp: new SharedLimit("ip", perIp, 1000, sync), perKey: new SharedLimit("key", perKey, 1000, sync) };
    sync?.register(limits.perIp);
    sync?.register(limits.perKey);
    holder[KEY] = limits;
  }
  return holder[KEY];
}
