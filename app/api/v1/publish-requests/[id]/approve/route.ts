// POST /api/v1/publish-requests/:id/approve – approve and publish (not by the requester)
import { route } from "@/lib/api/handler";
import { publishDecision } from "@/lib/schemas/config";
import { decidePublishRequest } from "@/lib/versions/approvals";
import { publicOrigin } from "@/lib/api/origin";

export const POST = route({ permission: "version:publish", body: publishDecision }, ({ actor, params, body, request }) =>
  decidePublishRequest(actor, params.id, "approve", body.comment, publicOrigin(request)),
);
