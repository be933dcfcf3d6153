// GET /api/v1/sites/:id/alert-rules – every alert rule of the site: on/off, thresholds, defaults
import { route } from "@/lib/api/handler";
import { listAlertRules } from "@/lib/health/alerts/rules";

export const GET = route({ permission: "alert:read" }, ({ actor, params }) => listAlertRules(actor, params.id));
