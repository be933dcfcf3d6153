// GET /api/v1/containers/:id/draft – the whole draft and the problems that would stop a version
import { route } from "@/lib/api/handler";
import { getDraftWithProblems } from "@/lib/versions/versions";

export const GET = route({ permission: "container:read" }, ({ actor, params }) => getDraftWithProblems(actor, params.id));
