// POST /api/v1/signup – public: the first user of a fresh install creates the team and
// becomes its owner; afterwards only when TAGPIPE_OPEN_SIGNUP=1
import { route } from "@/lib/api/handler";
import { signup } from "@/lib/schemas/resources";
import { createAccount } from "@/lib/team/accounts";

export const POST = route({ permission: null, body: signup }, async ({ body }) => {
  const { teamId } = await createAccount(body);
  return { email: body.email, teamId };
});
