// GET /api/v1/regions/:id – one region
// PATCH /api/v1/regions/:id – change it
// DELETE /api/v1/regions/:id – delete it
import { route } from "@/lib/api/handler";
import { regionUpdate } from "@/lib/schemas/resources";
import { deleteRegion, getRegion, updateRegion } from "@/lib/config/regions";

export const GET = route({ permission: "region:read" }, ({ actor, params }) => getRegion(actor, params.id));
export const PATCH = route({ permission: "region:write", body: regionUpdate }, ({ actor, params, body }) => updateRegion(actor, params.id, body));
export const DELETE = route({ permission: "region:write" }, ({ actor, params }) => deleteRegion(actor, params.id));
