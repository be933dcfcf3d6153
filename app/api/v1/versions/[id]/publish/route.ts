// POST /api/v1/versions/:id/publish – publish to an environment; an older version than the live one is a rollback
import { route } from "@/lib/api/handler";
import { publishRequest } from "@/lib/schemas/config";
import { publishVersion } from "@/lib/versions/versions";
import { publicOrigin } from "@/lib/api/origin";

export const POST = route({ permission: "version:publish", body: publishRequest }, ({ actor, params, body, request }) =>
  publishVersion(actor, params.id, body.environmentId, body.note, publicOrigin(request)),
);
