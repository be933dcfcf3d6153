// GET /api/v1/publish-requests/:id – one publish request and its decision
import { route } from "@/lib/api/handler";
import { getPublishRequest } from "@/lib/versions/approvals";

export const GET = route({ permission: "version:read" }, ({ actor, params }) => getPublishRequest(actor, params.id));
