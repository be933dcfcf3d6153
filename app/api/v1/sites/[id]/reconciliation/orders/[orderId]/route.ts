// GET /api/v1/sites/:id/reconciliation/orders/:orderId – one order at each destination, with the conversions that carried its id
import { route } from "@/lib/api/handler";
import { reconciliationQuery } from "@/lib/schemas/orders";
import { reconciliationOrder } from "@/lib/reconciliation/views";

export const GET = route({ permission: "health:read", query: reconciliationQuery }, ({ actor, params, query }) => reconciliationOrder(actor, params.id, params.orderId, query));
