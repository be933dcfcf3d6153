// GET /api/v1/team – the current team and the caller's role in it
// PATCH /api/v1/team – rename the team
import { route } from "@/lib/api/handler";
import { teamUpdate } from "@/lib/schemas/resources";
import { getTeam, renameTeam } from "@/lib/team/members";

export const GET = route({ permission: "team:read" }, async ({ actor }) => ({ ...(await getTeam(actor)), role: actor.role }));
export const PATCH = route({ permission: "team:update", body: teamUpdate }, ({ actor, body }) => renameTeam(actor, body.name));
