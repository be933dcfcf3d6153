// PATCH /api/v1/members/:id – change a member's role
// DELETE /api/v1/members/:id – remove a member from the team
import { route } from "@/lib/api/handler";
import { memberUpdate } from "@/lib/schemas/resources";
import { changeRole, removeMember } from "@/lib/team/members";

export const PATCH = route({ permission: "member:manage", body: memberUpdate }, ({ actor, params, body }) => changeRole(actor, params.id, body.role));
export const DELETE = route({ permission: "member:manage" }, ({ actor, params }) => removeMember(actor, params.id));
