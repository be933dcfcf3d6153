// GET /api/v1/containers/:id/destinations – the draft's destinations (secrets masked)
// POST /api/v1/containers/:id/destinations – add a destination
import { draftCollectionRoutes } from "@/lib/api/draft-routes";
import { destinationCreate } from "@/lib/schemas/config";

export const { GET, POST } = draftCollectionRoutes("destination", destinationCreate);
