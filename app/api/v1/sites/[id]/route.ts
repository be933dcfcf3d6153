// GET /api/v1/sites/:id – a site with its regions, container and environments
// PATCH /api/v1/sites/:id – change name, hostnames or default currency
// DELETE /api/v1/sites/:id – delete the site and everything under it
import { route } from "@/lib/api/handler";
import { siteUpdate } from "@/lib/schemas/resources";
import { deleteSite, getSite, updateSite } from "@/lib/config/sites";

export const GET = route({ permission: "site:read" }, ({ actor, params }) => getSite(actor, params.id));
export const PATCH = route({ permission: "site:write", body: siteUpdate }, ({ actor, params, body }) => updateSite(actor, params.id, body));
export const DELETE = route({ permission: "site:delete" }, ({ actor, params }) => deleteSite(actor, params.id));
