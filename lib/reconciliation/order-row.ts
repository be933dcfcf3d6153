// One backend order as it arrives (a CSV row or an API item), checked and normalized:
// the shop's fields as text in, a typed order with hashed identifiers out, or the list of
// what is wrong with it, column by column. Pure, so a million rows cost no query each.
import { isCurrency } from "../schemas/common";
import { hashUserData } from "../collector/hash";

/** The fields an order can carry; the CSV's column mapping names one column per field. */
export const ORDER_FIELDS = ["order_id", "created_at", "value", "currency", "status", "email", "phone", "channel"] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export const REQUIRED_FIELDS: readonly OrderField[] = ["order_id", "created_at", "value"];

export type OrderStatus = "paid" | "cancelled" | "refunded";

/** What shops call each status; anything else is a row error, not a guess. */
const STATUS_WORDS: Record<string, OrderStatus> = {
  paid: "paid",
  completed: "paid",
  complete: "paid",
  fulfilled: "paid",
  processing: "paid",
  shipped: "paid",
  success: "paid",
  succeeded: "paid",
  cancelled: "cancelled",
  canceled: "cancelled",
  voided: "cancelled",
  void: "cancelled",
  refunded: "refunded",
  partially_refunded: "refunded",
  returned: "refunded",
};

export type OrderInput = Partial<Record<OrderField, string | number | null | undefined>>;

export type NormalizedOrder = {
  orderId: string;
  placedAt: Date;
  /** decimal text, at most 4 decimals: PostgreSQL casts it to numeric exactly */
  value: string;
  currency: string;
  status: OrderStatus;
  emailHash: string | null;
  phoneHash: string | null;
  channel: string | null;
};

export type RowProblem = { column: OrderField; message: string };

// ISO 8601: a date, or a date and time (T or space) with optional seconds, fraction and
// zone; no zone means UTC. Day-first and month-first dates are refused rather than guessed.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DECIMAL = /^-?\d{1,10}(?:\.\d{1,4})?$/;

export function parseOrderDate(text: string): Date | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  let at = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCDate() !== day) return null; // 2026-02-30
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    at -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return new Date(at);
}

function text(v: OrderInput[OrderField]): string {
  return v === undefined || v === null ? "" : String(v).trim();
}

/**
 * The order, or its problems. `defaultCurrency` is the site's, for files without a
 * currency column; a missing status means paid.
 */
export function normalizeOrder(input: OrderInput, defaultCurrency: string): { ok: true; order: NormalizedOrder } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const orderId = text(input.order_id);
  if (!orderId) problems.push({ column: "order_id", message: "is empty" });
  else if (orderId.length > 200) problems.push({ column: "order_id", message: "is longer than 200 characters" });

  const created = text(input.created_at);
  const placedAt = created ? parseOrderDate(created) : null;
  if (!created) problems.push({ column: "created_at", message: "is empty" });
  else if (!placedAt) problems.push({ column: "created_at", message: `"${created.slice(0, 40)}" is not an ISO 8601 date (2026-12-05 or 2026-12-05T14:30:00Z)` });

  const rawValue = text(input.value);
  if (!rawValue) problems.push({ column: "value", message: "is empty" });
  else if (!DECIMAL.test(rawValue)) problems.push({ column: "value", message: `"${rawValue.slice(0, 40)}" is not a number with a dot for decimals (at most 4)` });
  else if (rawValue.startsWith("-")) problems.push({ column: "value", message: "is negative: send refunds as status refunded with the order's value" });

  const currency = (text(input.currency) || defaultCurrency).toUpperCase();
  if (!isCurrency(currency)) problems.push({ column: "currency", message: `"${currency.slice(0, 20)}" is not an ISO 4217 currency code` });

  const statusText = text(input.status).toLowerCase().replace(/[\s-]+/g, "_");
  const status = statusText ? STATUS_WORDS[statusText] : "paid";
  if (!status) problems.push({ column: "status", message: `"${statusText.slice(0, 40)}" is not a known status (paid, cancelled, refunded and their usual names)` });

  const channel = text(input.channel);
  if (channel.length > 100) problems.push({ column: "channel", message: "is longer than 100 characters" });

  if (problems.length) return { ok: false, problems };
  const email = text(input.email);
  const phone = text(input.phone);
  const hashedIds = email || phone ? hashUserData({ ...(email ? { email } : {}), ...(phone ? { phone } : {}) }) : {};
  return {
    ok: true,
    order: {
      orderId,
      placedAt: placedAt!,
      value: rawValue,
      currency,
      status: status!,
      emailHash: hashedIds.em ?? null,
      phoneHash: hashedIds.ph ?? null,
      channel: channel || null,
    },
  };
}
