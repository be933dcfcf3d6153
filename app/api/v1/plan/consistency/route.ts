// GET /api/v1/plan/consistency – per plan event, where sites and regions differ from the plan
import { route } from "@/lib/api/handler";
import { planConsistency } from "@/lib/config/consistency";

export const GET = route({ permission: "plan:read" }, async ({ actor }) => ({ data: await planConsistency(actor) }));
