// GET /api/v1/incidents/:id – one incident with its history (opened, notified, acknowledged, muted, resolved)
import { route } from "@/lib/api/handler";
import { getIncident } from "@/lib/health/incidents";

export const GET = route({ permission: "alert:read" }, ({ actor, params }) => getIncident(actor, params.id));
