// GET /api/v1/sites/:id/reconciliation/orders – the orders behind a figure (by destination, outcome, day, region), paged or as CSV
import { route } from "@/lib/api/handler";
import { reconciliationOrdersQuery } from "@/lib/schemas/orders";
import { reconciliationOrders } from "@/lib/reconciliation/views";

export const GET = route({ permission: "health:read", query: reconciliationOrdersQuery }, ({ actor, params, query }) => reconciliationOrders(actor, params.id, query));
