// GET /api/v1/environments/:id – one environment
// PATCH /api/v1/environments/:id – rename a custom one, or rotate its public key
// DELETE /api/v1/environments/:id – delete a non-production environment
import { route } from "@/lib/api/handler";
import { environmentUpdate } from "@/lib/schemas/resources";
import { deleteEnvironment, getEnvironment, updateEnvironment } from "@/lib/config/environments";
import { publicOrigin } from "@/lib/api/origin";

export const GET = route({ permission: "environment:read" }, ({ actor, params }) => getEnvironment(actor, params.id));
export const PATCH = route({ permission: "environment:write", body: environmentUpdate }, ({ actor, params, body, request }) =>
  updateEnvironment(actor, params.id, body, publicOrigin(request)),
);
export const DELETE = route({ permission: "environment:write" }, ({ actor, params }) => deleteEnvironment(actor, params.id));
