// GET /api/v1/invites – pending invitations
// POST /api/v1/invites – invite someone by email with a role; answers the one-time link
import { route } from "@/lib/api/handler";
import { inviteCreate } from "@/lib/schemas/resources";
import { createInvite, listInvites } from "@/lib/team/invites";
import { publicOrigin } from "@/lib/api/origin";

export const GET = route({ permission: "member:manage" }, async ({ actor }) => ({ data: await listInvites(actor) }));
export const POST = route({ permission: "member:manage", body: inviteCreate }, async ({ actor, body, request }) => {
  const { token, ...invite } = await createInvite(actor, body);
  return { ...invite, link: `${publicOrigin(request)}/invite/${token}` };
});
