// POST /api/v1/alert-channels/:id/test – send a test alert now; answers whether it arrived and an excerpt of the answer
import { route } from "@/lib/api/handler";
import { testChannel } from "@/lib/health/channels/channels";

export const POST = route({ permission: "alert:manage" }, ({ actor, params }) => testChannel(actor, params.id));
