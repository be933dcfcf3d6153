// GET /api/v1/plan/events/:id – one plan event
// PATCH /api/v1/plan/events/:id – change it (send the revision; stale → 409)
// DELETE /api/v1/plan/events/:id – remove it (refused while a container uses it)
import { route } from "@/lib/api/handler";
import { planEventUpdate } from "@/lib/schemas/config";
import { deletePlanEvent, getPlanEvent, updatePlanEvent } from "@/lib/config/plan";

export const GET = route({ permission: "plan:read" }, ({ actor, params }) => getPlanEvent(actor, params.id));
export const PATCH = route({ permission: "plan:write", body: planEventUpdate }, ({ actor, params, body }) => updatePlanEvent(actor, params.id, body));
export const DELETE = route({ permission: "plan:write" }, ({ actor, params }) => deletePlanEvent(actor, params.id));
