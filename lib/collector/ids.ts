// Row ids for the collector's tables: UUIDv7 (RFC 9562) — 48 bits of Unix milliseconds,
// then random bits — so rows written together sort together and their primary-key
// entries land at the index's right edge instead of on random pages (fewer pages dirtied
// and written per group commit).
import crypto from "node:crypto";

const POOL_IDS = 256;
let pool = Buffer.alloc(0);
let offset = 0;

export function uuidv7(now = Date.now()): string {
  if (offset >= pool.length) {
    pool = crypto.randomBytes(16 * POOL_IDS);
    offset = 0;
  }
  const b = pool.subarray(offset, offset + 16);
  offset += 16;
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SQL: the Delivery alias `d`'s id lies in the UUIDv7 range of the millisecond of the
 * event alias's receivedAt. The collector writes an event and its outbox rows in one
 * statement with ids of that millisecond (lib/collector/writer.ts), so this range scan of
 * the primary key finds an event's deliveries without an index on collectedEventId.
 */
export function deliveriesOfEventSql(event: string): string {
  return `${deliveryIdsOfMillisecondSql(`floor(extract(epoch from ${event}."receivedAt") * 1000)::bigint`)} AND d."collectedEventId" = ${event}.id`;
}

/** SQL: the Delivery alias `d`'s id lies in the UUIDv7 range of the millisecond `ms` (a bigint expression). */
export function deliveryIdsOfMillisecondSql(ms: string): string {
  const hex = `lpad(to_hex(${ms}), 12, '0')`;
  const prefix = `substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4)`;
  return `d.id >= ${prefix} || '-7' AND d.id < ${prefix} || '-8'`;
}
