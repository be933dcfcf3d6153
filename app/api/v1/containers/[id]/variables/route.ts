// GET /api/v1/containers/:id/variables – the draft's variables (parameter sources)
// POST /api/v1/containers/:id/variables – add a variable
import { draftCollectionRoutes } from "@/lib/api/draft-routes";
import { variableCreate } from "@/lib/schemas/config";

export const { GET, POST } = draftCollectionRoutes("variable", variableCreate);
