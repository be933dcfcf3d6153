// GET /api/v1/events/:id – one container event
// PATCH /api/v1/events/:id – change triggers, mappings, overrides (send the revision; stale → 409)
// DELETE /api/v1/events/:id – stop using the event in this container
import { route } from "@/lib/api/handler";
import { containerEventUpdate } from "@/lib/schemas/config";
import { deleteContainerEvent, getContainerEvent, updateContainerEvent } from "@/lib/config/container-events";

export const GET = route({ permission: "container:read" }, ({ actor, params }) => getContainerEvent(actor, params.id));
export const PATCH = route({ permission: "draft:write", body: containerEventUpdate }, ({ actor, params, body }) => updateContainerEvent(actor, params.id, body));
export const DELETE = route({ permission: "draft:write" }, ({ actor, params }) => deleteContainerEvent(actor, params.id));
