// PATCH /api/v1/sites/:id/alert-rules/:kind – switch a rule on or off, change its thresholds, or reset it
import { route } from "@/lib/api/handler";
import { alertRuleUpdate } from "@/lib/schemas/alerts";
import { updateAlertRule } from "@/lib/health/alerts/rules";

export const PATCH = route({ permission: "alert:manage", body: alertRuleUpdate }, ({ actor, params, body }) => updateAlertRule(actor, params.id, params.kind, body));
