// Requests about the outbox.
import { z } from "zod";
import { cursor } from "./stream";

export const deliveryQuery = z.strictObject({
  /** failed: dead letters and deliveries retrying after a failed attempt (the delivery log); suppressed: a server copy not sent because the browser's tag reported the conversion */
  status: z.enum(["pending", "delivered", "dead", "held", "retrying", "failed", "suppressed"]).optional(),
  destinationId: z.string().max(64).optional(),
  /** comma-separated delivery ids (e.g. the ones just replayed) */
  ids: z
    .string()
    .max(20_000)
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.string().max(64)).min(1).max(500))
    .optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeliveryQuery = z.infer<typeof deliveryQuery>;

export const deliveryReplay = z
  .strictObject({ ids: z.array(z.string().max(64)).min(1).max(1000).optional(), destinationId: z.string().max(64).optional() })
  .meta({ id: "DeliveryReplay" });
