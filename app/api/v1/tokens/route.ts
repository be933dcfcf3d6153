// GET /api/v1/tokens – the team's API tokens (never their secrets)
// POST /api/v1/tokens – create a token; its secret is in this response and nowhere else
import { route } from "@/lib/api/handler";
import { tokenCreate } from "@/lib/schemas/resources";
import { createToken, listTokens } from "@/lib/auth/tokens";

export const GET = route({ permission: "token:manage" }, async ({ actor }) => ({ data: await listTokens(actor) }));
export const POST = route({ permission: "token:manage", body: tokenCreate }, ({ actor, body }) => createToken(actor, body));
