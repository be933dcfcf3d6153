// POST /api/v1/invites/accept – public: accept an invitation link with a name and password
import { route } from "@/lib/api/handler";
import { inviteAccept } from "@/lib/schemas/resources";
import { acceptInvite } from "@/lib/team/invites";

export const POST = route({ permission: null, body: inviteAccept }, async ({ body }) => {
  const { email } = await acceptInvite(body);
  return { email };
});
