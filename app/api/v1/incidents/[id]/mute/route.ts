// POST /api/v1/incidents/:id/mute – {minutes}: no notifications for it (or its rule and subject) until then; 0 unmutes
import { route } from "@/lib/api/handler";
import { incidentMute } from "@/lib/schemas/alerts";
import { muteIncident } from "@/lib/health/incidents";

export const POST = route({ permission: "alert:manage", body: incidentMute }, ({ actor, params, body }) => muteIncident(actor, params.id, body.minutes));
