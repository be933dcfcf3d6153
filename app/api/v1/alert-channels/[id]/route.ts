// GET /api/v1/alert-channels/:id – one alert channel (its secret never shown)
// PATCH /api/v1/alert-channels/:id – rename, change URL, recipients or secret, enable or disable
// DELETE /api/v1/alert-channels/:id – remove the channel
import { route } from "@/lib/api/handler";
import { alertChannelUpdate } from "@/lib/schemas/alerts";
import { deleteChannel, getChannel, updateChannel } from "@/lib/health/channels/channels";

export const GET = route({ permission: "alert:read" }, ({ actor, params }) => getChannel(actor, params.id));
export const PATCH = route({ permission: "alert:manage", body: alertChannelUpdate }, ({ actor, params, body }) => updateChannel(actor, params.id, body));
export const DELETE = route({ permission: "alert:manage" }, ({ actor, params }) => deleteChannel(actor, params.id));
