// GET /api/v1/team – the current team, the caller's role in it and the retention default
// PATCH /api/v1/team – rename the team, set its retention window, or whether production needs approval (owners)
// DELETE /api/v1/team – delete the team and everything it collected (owners; confirm by name)
import { route } from "@/lib/api/handler";
import { teamDelete, teamUpdate } from "@/lib/schemas/resources";
import { getTeam } from "@/lib/team/members";
import { updateTeam } from "@/lib/team/settings";
import { deleteTeam } from "@/lib/team/delete-team";
import { defaultRetentionDays } from "@/lib/retention/retention";

export const GET = route({ permission: "team:read" }, async ({ actor }) => ({ ...(await getTeam(actor)), role: actor.role, defaultRetentionDays: defaultRetentionDays() }));
export const PATCH = route({ permission: "team:update", body: teamUpdate }, ({ actor, body }) => updateTeam(actor, body));
export const DELETE = route({ permission: "team:delete", body: teamDelete }, ({ actor, body }) => deleteTeam(actor, body.name));
