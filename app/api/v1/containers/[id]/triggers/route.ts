// GET /api/v1/containers/:id/triggers – the draft's triggers (firing rules)
// POST /api/v1/containers/:id/triggers – add a trigger
import { draftCollectionRoutes } from "@/lib/api/draft-routes";
import { triggerCreate } from "@/lib/schemas/config";

export const { GET, POST } = draftCollectionRoutes("trigger", triggerCreate);
