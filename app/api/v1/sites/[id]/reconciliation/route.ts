// GET /api/v1/sites/:id/reconciliation – backend orders against every destination: outcomes, accuracy per destination, day and region
import { route } from "@/lib/api/handler";
import { reconciliationQuery } from "@/lib/schemas/orders";
import { reconciliationSummary } from "@/lib/reconciliation/views";

export const GET = route({ permission: "health:read", query: reconciliationQuery }, ({ actor, params, query }) => reconciliationSummary(actor, params.id, query));
