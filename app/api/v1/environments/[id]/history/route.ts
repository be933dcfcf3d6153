// GET /api/v1/environments/:id/history – what was published there, by whom, newest first
import { route } from "@/lib/api/handler";
import { environmentHistory } from "@/lib/versions/versions";

export const GET = route({ permission: "environment:read" }, async ({ actor, params }) => ({ data: await environmentHistory(actor, params.id) }));
