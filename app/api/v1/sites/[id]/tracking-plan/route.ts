// GET /api/v1/sites/:id/tracking-plan – the site's tracking plan as documented: events, parameters, triggers in words, destinations, owners, last changes
import { route } from "@/lib/api/handler";
import { trackingPlanDoc } from "@/lib/docs/tracking-plan";

export const GET = route({ permission: "plan:read" }, ({ actor, params }) => trackingPlanDoc(actor, params.id));
