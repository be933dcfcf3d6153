// GET /api/v1/order-imports/:id – an order import with its per-row problems
import { route } from "@/lib/api/handler";
import { getOrderImport } from "@/lib/reconciliation/orders";

export const GET = route({ permission: "site:read" }, ({ actor, params }) => getOrderImport(actor, params.id));
