// GET /api/v1/sites/:id/alert-channels – the site's alert channels (secrets never shown)
// POST /api/v1/sites/:id/alert-channels – add a signed webhook or an email channel
import { route } from "@/lib/api/handler";
import { alertChannelCreate } from "@/lib/schemas/alerts";
import { createChannel, listChannels } from "@/lib/health/channels/channels";

export const GET = route({ permission: "alert:read" }, ({ actor, params }) => listChannels(actor, params.id));
export const POST = route({ permission: "alert:manage", body: alertChannelCreate }, ({ actor, params, body }) => createChannel(actor, params.id, body));
