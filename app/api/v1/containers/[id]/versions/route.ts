// GET /api/v1/containers/:id/versions – version history, newest first, with where each is live
// POST /api/v1/containers/:id/versions – freeze the draft into a new version (refused, with every problem, when broken)
import { route } from "@/lib/api/handler";
import { versionCreate } from "@/lib/schemas/config";
import { createVersion, listVersions } from "@/lib/versions/versions";

export const GET = route({ permission: "version:read" }, async ({ actor, params }) => ({ data: await listVersions(actor, params.id) }));
export const POST = route({ permission: "version:create", body: versionCreate }, ({ actor, params, body }) => createVersion(actor, params.id, body.note));
