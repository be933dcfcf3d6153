// GET /api/v1/sites/:id/health?period=&grain=&by= – counts over time from the rollups, with the previous period and the backlog
import { route } from "@/lib/api/handler";
import { healthQuery } from "@/lib/schemas/health";
import { siteHealth } from "@/lib/health/report";

export const GET = route({ permission: "health:read", query: healthQuery }, ({ actor, params, query }) => siteHealth(actor, params.id, query));
