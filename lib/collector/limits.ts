// The collector's per-IP and per-key limits, shared by every collecting process on the
// database (several `npm run collector` behind a load balancer count as one).
//
// Reservations, not after-the-fact counts. A process lets a request through only from
// points it has reserved in the shared store for that key and clock-aligned window: the
// store's atomic add (an upsert into the UNLOGGED table "RateLimitCount" on PostgreSQL, the
// default; INCRBY in Redis when REDIS_URL is set) answers the key's total across processes,
// and a reservation that takes the total past the limit is granted only what was left. So
// the processes together never let more than the limit through in a window — a burst that
// reaches several processes at once included (before: each process counted locally and
// synced every 100 ms, so a burst within one sync could take the limit at every process).
//
// What it costs the hot path: a request with reserved points left passes on a Map lookup,
// synchronously. Only a key's first request of a window, and then one request per share of
// the limit, waits for the store; the keys waiting in one turn of the event loop share ONE
// statement (or one pipelined Redis round trip). Reservations start at one point and double
// up to a tenth of the limit (SHARES), so what a process reserves and never uses — lost
// for the window — stays small for clients that send a few requests: a client spread over
// N processes is held to at most the limit and at least the limit less about N shares.
//
// When the store fails or does not answer within TAGPIPE_RATE_SYNC_MS (500 ms), the
// process limits that key on its own for the rest of the window (one process alone never
// lets more than the limit through). TAGPIPE_RATE_SYNC_MS=0 keeps every limit local.
// rate-limiter-flexible's PostgreSQL and Redis stores were not used: they spend one round
// trip per key and request, which on a storefront's traffic is a query per event; nor its
// in-memory limiter in front: its promise per call cost more than this Map (measured:
// docs/hardening.md).
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

/** The largest reservation is this fraction of the limit (at least one point). */
const SHARES = 10;

type Waiter = (refusal: Refusal | null) => void;

/** One limit (`points` per `windowMs`), reserved from the shared store (or counted here alone). */
export class SharedLimit {
  /** End of the clock-aligned window the maps below count (epoch ms). */
  private windowEnd = 0;
  /** Points reserved in the store and not used yet. */
  private granted = new Map<string, number>();
  /** The next reservation's size: 1, doubling up to the share. */
  private nextWant = new Map<string, number>();
  /** Keys the store says are spent this window. */
  private spent = new Set<string>();
  /** Keys limited here alone this window (the store failed): what was let through. */
  private local = new Map<string, number>();
  /** Requests waiting for a reservation. */
  private waiting = new Map<string, Waiter[]>();
  /** Keys with a reservation in flight. */
  private reserving = new Set<string>();
  private readonly share: number;

  constructor(
    readonly name: string,
    readonly points: number,
    readonly windowMs: number,
    private readonly sync: LimitSync | null,
  ) {
    this.share = Math.max(1, Math.ceil(points / SHARES));
  }

  /** Counts one request of `key`: null when it may pass. Synchronous unless the key needs a reservation. */
  take(key: string): Refusal | null | Promise<Refusal | null> {
    const now = Date.now();
    if (now >= this.windowEnd) this.turn(now);
    if (!this.sync || this.local.has(key)) return this.alone(key);
    const left = this.granted.get(key) ?? 0;
    if (left > 0) {
      if (left === 1) this.granted.delete(key);
      else this.granted.set(key, left - 1);
      return null;
    }
    if (this.spent.has(key)) return this.refusal();
    return new Promise<Refusal | null>((resolve) => {
      const list = this.waiting.get(key);
      if (list) list.push(resolve);
      else this.waiting.set(key, [resolve]);
      this.reserve(key);
    });
  }

  private refusal(): Refusal {
    return { retryAfterMs: this.windowEnd - Date.now() };
  }

  /** Counted in this process only. */
  private alone(key: string): Refusal | null {
    const used = this.local.get(key) ?? 0;
    if (used >= this.points) return this.refusal();
    this.local.set(key, used + 1);
    return null;
  }

  private turn(now: number): void {
    // Requests still waiting straddle the boundary: they pass (at most one reservation's worth).
    for (const list of this.waiting.values()) for (const resolve of list) resolve(null);
    this.windowEnd = (Math.floor(now / this.windowMs) + 1) * this.windowMs;
    this.granted = new Map();
    this.nextWant = new Map();
    this.spent = new Set();
    this.local = new Map();
    this.waiting = new Map();
    this.reserving = new Set();
  }

  private reserve(key: string): void {
    if (this.reserving.has(key)) return;
    this.reserving.add(key);
    const end = this.windowEnd;
    const want = Math.max(this.waiting.get(key)?.length ?? 1, this.nextWant.get(key) ?? 1);
    this.nextWant.set(key, Math.min(this.share, want * 2));
    void this.sync!.reserve(this, end / this.windowMs - 1, key, want).then((total) => this.answer(key, want, total, end));
  }

  /** The store's answer to a reservation of `want` points: the key's total, or null when it failed. */
  private answer(key: string, want: number, total: number | null, end: number): void {
    if (end !== this.windowEnd) return;
    this.reserving.delete(key);
    const list = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    if (total === null) {
      this.local.set(key, this.local.get(key) ?? 0);
      for (const resolve of list) resolve(this.alone(key));
      return;
    }
    let grant = Math.max(0, Math.min(want, want - (total - this.points)));
    while (grant > 0 && list.length) {
      list.shift()!(null);
      grant--;
    }
    if (grant > 0) this.granted.set(key, (this.granted.get(key) ?? 0) + grant);
    if (total >= this.points) {
      this.spent.add(key);
      for (const resolve of list) resolve(this.refusal());
    } else if (list.length) {
      // More requests came in than were reserved: another reservation for them.
      this.waiting.set(key, list);
      this.reserve(key);
    }
  }
}

type Reservation = { limit: SharedLimit; window: number; key: string; points: number; resolve(total: number | null): void };

/**
 * Sends the reservations asked for in one turn of the event loop to the store together:
 * one statement per window length (in practice every limit is per second).
 */
export class LimitSync {
  private queue: Reservation[] = [];
  private lastError = -Infinity;

  constructor(
    private readonly store: SharedStore,
    /** How long a reservation may wait for the store before the process decides alone. */
    private readonly timeoutMs: number,
  ) {}

  reserve(limit: SharedLimit, window: number, key: string, points: number): Promise<number | null> {
    return new Promise((resolve) => {
      if (!this.queue.length) setImmediate(() => void this.flush());
      this.queue.push({ limit, window, key, points, resolve });
    });
  }

  private async flush(): Promise<void> {
    const queue = this.queue;
    this.queue = [];
    const groups = new Map<string, Reservation[]>();
    for (const r of queue) {
      const id = `${r.window}:${r.limit.windowMs}`;
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    await Promise.all([...groups.values()].map((group) => this.send(group)));
  }

  private async send(group: Reservation[]): Promise<void> {
    // Sorted: two processes upserting the same keys lock them in one order (no deadlock).
    const keyed = group.map((r) => ({ r, key: `${r.limit.name}:${r.key}` })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    group = keyed.map((k) => k.r);
    let timer: NodeJS.Timeout | undefined;
    try {
      const totals = await Promise.race([
        this.store.add(group[0].window, group[0].limit.windowMs, keyed.map((k) => k.key), group.map((r) => r.points)),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs))),
      ]);
      group.forEach((r, i) => r.resolve(totals[i]));
    } catch (error) {
      if (Date.now() - this.lastError > 60_000) {
        this.lastError = Date.now();
        console.error(`[limits] the shared ${this.store.name} store failed (${error instanceof Error ? error.message : String(error)}); each process limits on its own meanwhile`);
      }
      for (const r of group) r.resolve(null);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * PostgreSQL: one upsert per batch of reservations. "RateLimitCount" is UNLOGGED (counts of the last
 * second need no WAL and no crash safety) with one row per key, reset when a new window
 * reaches it; the leader's clean-up deletes rows idle for a minute.
 */
export function postgresStore(): SharedStore {
  return {
    name: "PostgreSQL",
    async add(window, windowMs, keys, points) {
      const db = await database();
      const rows = await db.sql.query<{ key: string; points: number }>(
        `INSERT INTO "RateLimitCount" AS r (key, "window", points, "updatedAt")
         SELECT k, $3::int8, p, now() FROM unnest($1::text[], $2::int4[]) WITH ORDINALITY AS t(k, p, i) ORDER BY i
         ON CONFLICT (key) DO UPDATE SET
           points = CASE WHEN r."window" = EXCLUDED."window" THEN r.points + EXCLUDED.points
                         WHEN r."window" > EXCLUDED."window" THEN r.points ELSE EXCLUDED.points END,
           "window" = GREATEST(r."window", EXCLUDED."window"),
           "updatedAt" = now()
         RETURNING key, points`,
        [keys, points, window * windowMs],
        "tagpipe_limits_add",
      );
      const totals = new Map(rows.map((r) => [r.key, Number(r.points)]));
      return keys.map((k) => totals.get(k) ?? Number.POSITIVE_INFINITY);
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

/** Redis (REDIS_URL): one pipelined round trip per batch of reservations — INCRBY and PEXPIRE per key and window. */
export async function redisStore(url: string): Promise<SharedStore> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on("error", () => {
    // Reported by the reservation that fails; ioredis reconnects by itself.
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
 * else the database; TAGPIPE_RATE_SYNC_MS=0 keeps each process's limits its own (otherwise:
 * how long a reservation waits for the store before the process decides alone).
 */
export function collectLimits(perIp: number, perKey: number): CollectLimits {
  const holder = globalThis as { [KEY]?: CollectLimits };
  if (!holder[KEY]) {
    const { REDIS_URL, TAGPIPE_RATE_SYNC_MS } = env();
    const store = REDIS_URL ? lazyStore("Redis", () => redisStore(REDIS_URL)) : postgresStore();
    const sync = TAGPIPE_RATE_SYNC_MS > 0 ? new LimitSync(store, TAGPIPE_RATE_SYNC_MS) : null;
    const limits = { perIp: new SharedLimit("ip", perIp, 1000, sync), perKey: new SharedLimit("key", perKey, 1000, sync) };
    holder[KEY] = limits;
  }
  return holder[KEY];
}
