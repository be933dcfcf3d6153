// GET /api/v1/deliveries?status=&destinationId=&limit= – the outbox: what was sent where, and what failed
import { route } from "@/lib/api/handler";
import { deliveryQuery } from "@/lib/schemas/deliveries";
import { listDeliveries } from "@/lib/forwarder/deliveries";

export const GET = route({ permission: "delivery:read", query: deliveryQuery }, async ({ actor, query }) => ({ data: await listDeliveries(actor, query) }));
