// GET /api/v1/sites/:id/orders – how many orders the site has, and its recent imports
// POST /api/v1/sites/:id/orders – up to 1,000 backend orders, upserted by order id (all or nothing)
import { route } from "@/lib/api/handler";
import { ordersPost } from "@/lib/schemas/orders";
import { listOrderImports, postOrders } from "@/lib/reconciliation/orders";

export const GET = route({ permission: "site:read" }, ({ actor, params }) => listOrderImports(actor, params.id));
export const POST = route({ permission: "site:write", body: ordersPost, maxBodyBytes: 1024 * 1024 }, ({ actor, params, body }) => postOrders(actor, params.id, body.orders));
