// POST /api/v1/publish-requests/:id/reject – reject with a comment (not by the requester)
import { route } from "@/lib/api/handler";
import { publishDecision } from "@/lib/schemas/config";
import { decidePublishRequest } from "@/lib/versions/approvals";
import { publicOrigin } from "@/lib/api/origin";

export const POST = route({ permission: "version:publish", body: publishDecision }, ({ actor, params, body, request }) =>
  decidePublishRequest(actor, params.id, "reject", body.comment, publicOrigin(request)),
);
