// GET /api/v1/plan/presets – the standard events and their platform names
import { route } from "@/lib/api/handler";
import { PRESETS } from "@/lib/config/presets";

export const GET = route({ permission: "plan:read" }, async () => ({ data: PRESETS }));
