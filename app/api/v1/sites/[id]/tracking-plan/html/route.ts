// GET /api/v1/sites/:id/tracking-plan/html – the tracking-plan document as a standalone HTML page
import { route } from "@/lib/api/handler";
import { trackingPlanDownload } from "@/lib/docs/download";

export const GET = route({ permission: "plan:read" }, ({ actor, params }) => trackingPlanDownload(actor, params.id, "html"));
