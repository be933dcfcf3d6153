// GET /api/v1/containers/:id/environments – the container's environments
// POST /api/v1/containers/:id/environments – add a custom environment
import { route } from "@/lib/api/handler";
import { environmentCreate } from "@/lib/schemas/resources";
import { createEnvironment, listEnvironments } from "@/lib/config/environments";

export const GET = route({ permission: "environment:read" }, async ({ actor, params }) => ({ data: await listEnvironments(actor, params.id) }));
export const POST = route({ permission: "environment:write", body: environmentCreate }, ({ actor, params, body }) => createEnvironment(actor, params.id, body));
