// DELETE /api/v1/tokens/:id – revoke a token; it stops working at once
import { route } from "@/lib/api/handler";
import { revokeToken } from "@/lib/auth/tokens";

export const DELETE = route({ permission: "token:manage" }, async ({ actor, params }) => {
  await revokeToken(actor, params.id);
});
