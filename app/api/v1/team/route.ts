// GET /api/v1/team – the current team and the caller's role in it
// PATCH /api/v1/team – rename the team, or set whether production needs approval
import { route } from "@/lib/api/handler";
import { teamUpdate } from "@/lib/schemas/resources";
import { getTeam } from "@/lib/team/members";
import { updateTeam } from "@/lib/team/settings";

export const GET = route({ permission: "team:read" }, async ({ actor }) => ({ ...(await getTeam(actor)), role: actor.role }));
export const PATCH = route({ permission: "team:update", body: teamUpdate }, ({ actor, body }) => updateTeam(actor, body));
