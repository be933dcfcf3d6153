// POST /api/v1/incidents/:id/acknowledge – someone is on it
import { route } from "@/lib/api/handler";
import { acknowledgeIncident } from "@/lib/health/incidents";

export const POST = route({ permission: "alert:manage" }, ({ actor, params }) => acknowledgeIncident(actor, params.id));
