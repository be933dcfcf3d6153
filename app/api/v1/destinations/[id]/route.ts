// GET /api/v1/destinations/:id – one destination (secrets masked: only which are set)
// PATCH /api/v1/destinations/:id – change it; secrets are write-only (null clears one)
// DELETE /api/v1/destinations/:id – delete it
import { draftItemRoutes } from "@/lib/api/draft-routes";
import { destinationUpdate } from "@/lib/schemas/config";

export const { GET, PATCH, DELETE } = draftItemRoutes("destination", destinationUpdate);
