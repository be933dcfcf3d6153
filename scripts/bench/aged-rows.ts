// Rows as the collector and the forwarder would have written them long ago, inserted in
// bulk by SQL (the growth benchmark's months of history, the retention tests' old data):
// events with a receivedAt in the past, their deliveries with the UUIDv7 ids of that
// millisecond (so the id-range lookups of lib/collector/ids.ts find them) and createdAt
// equal to it, and the requests that carried them.

export type AgedRows = {
  teamId: string;
  siteId: string;
  environmentId: string;
  destinationId: string;
  /** Events to insert. */
  count: number;
  /** Their ages, spread evenly from `fromDays` to `toDays` before now. */
  fromDays: number;
  toDays: number;
  /** Each event's one delivery, or none. */
  delivery: "delivered" | "dead" | "suppressed" | "held" | "pending" | null;
  /** Also one DeliveryRequest per event, sent when it was received. */
  requests?: boolean;
  /** Distinguishes the event ids (and dedup keys) of separate inserts. */
  label: string;
};

type Query = (sql: string, values?: unknown[]) => Promise<unknown>;

/** A UUIDv7 text id for the millisecond of the timestamp expression `at`, with random bits. */
export const uuidv7Sql = (at: string) => `(
  substr(lpad(to_hex(floor(extract(epoch FROM ${at}) * 1000)::bigint), 12, '0'), 1, 8) || '-' ||
  substr(lpad(to_hex(floor(extract(epoch FROM ${at}) * 1000)::bigint), 12, '0'), 9, 4) || '-7' ||
  substr(md5(random()::text), 1, 3) || '-8' || substr(md5(random()::text), 1, 3) || '-' || substr(md5(random()::text), 1, 12))`;

/** Inserts the rows in one statement; answers nothing (count them with SQL). */
export async function insertAgedRows(query: Query, rows: AgedRows): Promise<void> {
  const span = rows.toDays - rows.fromDays;
  await query(
    `WITH ev AS (
       INSERT INTO "CollectedEvent" ("teamId", "siteId", "environmentId", "environmentKind", name, "eventId", "orderId", source, status, params, "userData", context, consent, "eventTime", "receivedAt", "eventKey", "orderKey")
       SELECT $1, $2, $3, 'production', 'purchase', e, 'o-' || e, 'server', 'accepted',
              jsonb_build_object('value', 10 + g % 90, 'currency', 'EUR', 'content_ids', jsonb_build_array('sku-' || g % 500)),
              jsonb_build_object('em', md5(e), 'client_ip_address', '203.0.113.7', 'client_user_agent', 'Mozilla/5.0 (bench)'),
              jsonb_build_object('url', 'https://shop.example.com/checkout/' || g), '{}'::jsonb, t, t, e, 'o-' || e
       FROM generate_series(1, $4::int) g,
            LATERAL (SELECT ($5 || '-' || g) AS e, (LOCALTIMESTAMP - make_interval(secs => ($6::float8 + $7::float8 * g / $4::int) * 86400))::timestamp(3) AS t) x
       RETURNING id, "receivedAt"
     ), dl AS (
       INSERT INTO "Delivery" (id, "teamId", "collectedEventId", "destinationId", platform, "eventName", status, attempts, "deliveredAt", "nextAttemptAt", "createdAt")
       SELECT ${uuidv7Sql('ev."receivedAt"')}, $1, ev.id, $8, 'webhook', 'purchase', $9, CASE WHEN $9 = 'pending' THEN 0 ELSE 1 END,
              CASE WHEN $9 = 'delivered' THEN ev."receivedAt" END, ev."receivedAt", ev."receivedAt"
       FROM ev WHERE $9 IS NOT NULL
       RETURNING 1
     )
     INSERT INTO "DeliveryRequest" (id, "teamId", "destinationId", platform, "sentAt", "durationMs", url, body, "httpStatus", response, count)
     SELECT ${uuidv7Sql('ev."receivedAt"')}, $1, $8, 'webhook', ev."receivedAt", 40, 'https://hooks.example.com/tagpipe', '{"data":[{"event_name":"purchase"}]}', 200, '{"ok":true}', 1
     FROM ev WHERE $10`,
    [rows.teamId, rows.siteId, rows.environmentId, rows.count, rows.label, rows.fromDays, span, rows.destinationId, rows.delivery, rows.requests ?? false],
  );
}
