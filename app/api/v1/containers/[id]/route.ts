// GET /api/v1/containers/:id – one container with its environments
// PATCH /api/v1/containers/:id – rename it
// DELETE /api/v1/containers/:id – delete it with its environments
import { route } from "@/lib/api/handler";
import { containerUpdate } from "@/lib/schemas/resources";
import { deleteContainer, getContainer, updateContainer } from "@/lib/config/containers";

export const GET = route({ permission: "container:read" }, ({ actor, params }) => getContainer(actor, params.id));
export const PATCH = route({ permission: "container:write", body: containerUpdate }, ({ actor, params, body }) => updateContainer(actor, params.id, body));
export const DELETE = route({ permission: "container:delete" }, ({ actor, params }) => deleteContainer(actor, params.id));
