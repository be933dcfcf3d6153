// Backend orders and reconciliation: the API's batch of orders, the CSV upload's column
// mapping, and the reconciliation period and tolerances. Each order is checked further
// (dates, numbers, statuses) by lib/reconciliation/order-row.ts, the one rule both the
// API and the CSV import apply.
import { z } from "zod";

const cell = z.union([z.string().max(500), z.number()]).nullish();

export const orderItem = z
  .strictObject({
    order_id: z.union([z.string().min(1).max(200), z.number()]).meta({ description: "the shop's order id: the key, with the site" }),
    created_at: z.string().max(40).meta({ description: "ISO 8601; without a zone, UTC", example: "2026-12-05T14:30:00Z" }),
    value: z.union([z.string().max(20), z.number()]).meta({ description: "order value, a dot for decimals", example: "49.90" }),
    currency: z.string().max(3).optional().meta({ description: "ISO 4217; the site's default currency when absent" }),
    status: z.string().max(40).optional().meta({ description: "paid (default), cancelled or refunded — or their usual names (completed, canceled…)" }),
    email: cell.meta({ description: "normalized and SHA-256 hashed at intake; never stored raw" }),
    phone: cell.meta({ description: "normalized and SHA-256 hashed at intake; never stored raw" }),
    channel: z.string().max(100).nullish().meta({ description: "the shop's channel tag" }),
  })
  .meta({ id: "OrderInput" });

export const ordersPost = z
  .strictObject({ orders: z.array(orderItem).min(1, "send at least one order").max(1000, "send at most 1,000 orders per request") })
  .meta({ id: "OrdersBatch" });

const column = z.string().trim().min(1).max(200).optional();

export const orderImportQuery = z.strictObject({
  order_id: z.string().trim().min(1, "map order_id to a column").max(200).meta({ description: "the header of the column holding the order id" }),
  created_at: z.string().trim().min(1, "map created_at to a column").max(200),
  value: z.string().trim().min(1, "map value to a column").max(200),
  currency: column,
  status: column,
  email: column,
  phone: column,
  channel: column,
  delimiter: z.enum([",", ";", "\t", "|"]).default(",").meta({ description: "the field delimiter" }),
  fileName: z.string().max(200).optional(),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-12-05");

export const reconciliationQuery = z.strictObject({
  from: day.optional().meta({ description: "first day (UTC) of orders; default 7 days before `to`" }),
  to: day.optional().meta({ description: "last day (UTC) of orders, included; default today" }),
  windowHours: z.coerce.number().int().min(1).max(24 * 14).default(48).meta({ description: "how long after an order its conversion may arrive" }),
  tolerance: z.coerce.number().min(0).max(1_000_000).default(0.01).meta({ description: "absolute value tolerance" }),
  tolerancePercent: z.coerce.number().min(0).max(100).default(1).meta({ description: "relative value tolerance; the larger of the two applies" }),
});

export const reconciliationOrdersQuery = reconciliationQuery.extend({
  destinationId: z.string().max(64).optional(),
  outcome: z.enum(["delivered", "rejected", "ignored", "pending", "missing", "duplicated", "mismatch", "cancelled", "refunded", "any"]).default("any"),
  day: day.optional().meta({ description: "only orders placed on this day (UTC)" }),
  region: z.string().max(64).optional().meta({ description: "only orders of this region (\"none\" for orders without one)" }),
  q: z.string().max(200).optional().meta({ description: "an order id" }),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(["json", "csv"]).default("json"),
});

export type ReconciliationQuery = z.infer<typeof reconciliationQuery>;
export type ReconciliationOrdersQuery = z.infer<typeof reconciliationOrdersQuery>;

export const catalogImportQuery = z.strictObject({
  product_id: z.string().trim().min(1, "map product_id to a column").max(200).meta({ description: "the header of the column holding the product id (the content_id conversions carry)" }),
  price: column,
  currency: column,
  delimiter: z.enum([",", ";", "\t", "|"]).default(","),
});

export const catalogCheckQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(7).meta({ description: "the period, in days ending now" }),
});
