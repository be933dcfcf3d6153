// GET /api/v1/members – the team's members and their roles
import { route } from "@/lib/api/handler";
import { listMembers } from "@/lib/team/members";

export const GET = route({ permission: "member:read" }, async ({ actor }) => ({ data: await listMembers(actor) }));
