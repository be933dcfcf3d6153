// GET /api/v1/sites – list the team's sites
// POST /api/v1/sites – create a site (with its container, environments and regions)
import { route } from "@/lib/api/handler";
import { siteCreate } from "@/lib/schemas/resources";
import { createSite, listSites } from "@/lib/config/sites";

export const GET = route({ permission: "site:read" }, async ({ actor }) => ({ data: await listSites(actor) }));
export const POST = route({ permission: "site:write", body: siteCreate }, ({ actor, body }) => createSite(actor, body));
