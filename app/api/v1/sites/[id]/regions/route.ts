// GET /api/v1/sites/:id/regions – the site's regions
// POST /api/v1/sites/:id/regions – add a region
import { route } from "@/lib/api/handler";
import { regionCreate } from "@/lib/schemas/resources";
import { createRegion, listRegions } from "@/lib/config/regions";

export const GET = route({ permission: "region:read" }, async ({ actor, params }) => ({ data: await listRegions(actor, params.id) }));
export const POST = route({ permission: "region:write", body: regionCreate }, ({ actor, params, body }) => createRegion(actor, params.id, body));
