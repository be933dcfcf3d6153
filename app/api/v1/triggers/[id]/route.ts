// GET /api/v1/triggers/:id – one trigger
// PATCH /api/v1/triggers/:id – change it (send the revision you loaded; stale → 409)
// DELETE /api/v1/triggers/:id – delete it (refused while something uses it)
import { draftItemRoutes } from "@/lib/api/draft-routes";
import { triggerUpdate } from "@/lib/schemas/config";

export const { GET, PATCH, DELETE } = draftItemRoutes("trigger", triggerUpdate);
