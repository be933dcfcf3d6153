// GET /api/v1/deliveries?status=&destinationId=&ids=&cursor=&limit= – the outbox newest first: what was sent where, and what failed (status=failed: a destination's delivery log)
import { route } from "@/lib/api/handler";
import { deliveryQuery } from "@/lib/schemas/deliveries";
import { listDeliveries } from "@/lib/forwarder/deliveries";

export const GET = route({ permission: "delivery:read", query: deliveryQuery }, async ({ actor, query }) => listDeliveries(actor, query));
