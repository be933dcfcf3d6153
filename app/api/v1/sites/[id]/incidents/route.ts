// GET /api/v1/sites/:id/incidents?status=&before=&limit= – the site's incidents, newest first
import { route } from "@/lib/api/handler";
import { incidentQuery } from "@/lib/schemas/alerts";
import { listIncidents } from "@/lib/health/incidents";

export const GET = route({ permission: "alert:read", query: incidentQuery }, ({ actor, params, query }) => listIncidents(actor, params.id, query));
