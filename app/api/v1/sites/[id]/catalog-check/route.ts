// GET /api/v1/sites/:id/catalog-check?days= – content ids of recent conversions against the catalog
import { route } from "@/lib/api/handler";
import { catalogCheckQuery } from "@/lib/schemas/orders";
import { catalogCheck } from "@/lib/reconciliation/catalog";

export const GET = route({ permission: "health:read", query: catalogCheckQuery }, ({ actor, params, query }) => catalogCheck(actor, params.id, query.days));
