// GET /api/v1/containers/:id/events – the tracking plan events this container uses
// POST /api/v1/containers/:id/events – use a plan event here, with triggers and mappings
import { route } from "@/lib/api/handler";
import { containerEventCreate } from "@/lib/schemas/config";
import { createContainerEvent, listContainerEvents } from "@/lib/config/container-events";

export const GET = route({ permission: "container:read" }, async ({ actor, params }) => ({ data: await listContainerEvents(actor, params.id) }));
export const POST = route({ permission: "draft:write", body: containerEventCreate }, ({ actor, params, body }) => createContainerEvent(actor, params.id, body));
