// Requests about the outbox.
import { z } from "zod";

export const deliveryQuery = z.strictObject({
  status: z.enum(["pending", "delivered", "dead", "held", "suppressed"]).optional(),
  destinationId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const deliveryReplay = z
  .strictObject({ ids: z.array(z.string().max(64)).min(1).max(1000).optional(), destinationId: z.string().max(64).optional() })
  .meta({ id: "DeliveryReplay" });
