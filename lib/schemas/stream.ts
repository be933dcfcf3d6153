// Requests of the live event stream and the delivery log (lib/stream/, lib/forwarder/deliveries.ts).
import { z } from "zod";

/** A keyset position: "<receivedAt ms>.<event id>" or "<createdAt ms>.<delivery id>", as the previous page answered it. */
export const cursor = z.string().regex(/^\d{1,15}\.[0-9a-zA-Z-]{1,64}$/, "must be the nextCursor of a previous page");

/** What a delivery badge can say (retrying: pending after a failed attempt; not_sent: no row, see lib/collector/routing.ts). */
export const deliveryBadge = z.enum(["pending", "delivered", "retrying", "dead", "held", "not_sent"]);

export const streamQuery = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  status: z.enum(["accepted", "rejected"]).optional(),
  source: z.enum(["browser", "server", "both"]).optional(),
  destinationId: z.string().min(1).max(64).optional(),
  delivery: deliveryBadge.optional(),
  /** an event_id or an order_id */
  q: z.string().trim().min(1).max(200).optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type StreamQuery = z.infer<typeof streamQuery>;

export const testEventRequest = z
  .strictObject({
    /** The event to send; the live version's purchase, else its first event. */
    name: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: "TestEventRequest" });
