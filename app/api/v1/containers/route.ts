// GET /api/v1/containers – the team's containers with their environments
// POST /api/v1/containers – create the container of a site that has none
import { route } from "@/lib/api/handler";
import { containerCreate } from "@/lib/schemas/resources";
import { createContainer, listContainers } from "@/lib/config/containers";

export const GET = route({ permission: "container:read" }, async ({ actor }) => ({ data: await listContainers(actor) }));
export const POST = route({ permission: "container:write", body: containerCreate }, ({ actor, body }) => createContainer(actor, body));
