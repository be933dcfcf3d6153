// GET /api/v1/variables/:id – one variable
// PATCH /api/v1/variables/:id – change it (send the revision you loaded; stale → 409)
// DELETE /api/v1/variables/:id – delete it (refused while something uses it)
import { draftItemRoutes } from "@/lib/api/draft-routes";
import { variableUpdate } from "@/lib/schemas/config";

export const { GET, PATCH, DELETE } = draftItemRoutes("variable", variableUpdate);
