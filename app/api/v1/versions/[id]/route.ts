// GET /api/v1/versions/:id – one version with its snapshot
import { route } from "@/lib/api/handler";
import { getVersion } from "@/lib/versions/versions";

export const GET = route({ permission: "version:read" }, ({ actor, params }) => getVersion(actor, params.id));
