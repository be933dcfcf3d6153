// DELETE /api/v1/invites/:id – withdraw a pending invitation
import { route } from "@/lib/api/handler";
import { revokeInvite } from "@/lib/team/invites";

export const DELETE = route({ permission: "member:manage" }, ({ actor, params }) => revokeInvite(actor, params.id));
