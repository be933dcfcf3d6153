// GET /api/v1/containers/:id/publish-requests – publish requests of a container, newest first
// POST /api/v1/containers/:id/publish-requests – ask for a version to be published to production (approval)
import { route } from "@/lib/api/handler";
import { publishRequestCreate } from "@/lib/schemas/config";
import { listPublishRequests, requestPublish } from "@/lib/versions/approvals";

export const GET = route({ permission: "version:read" }, async ({ actor, params }) => ({ data: await listPublishRequests(actor, params.id) }));
export const POST = route({ permission: "version:create", body: publishRequestCreate }, ({ actor, params, body }) => requestPublish(actor, params.id, body));
