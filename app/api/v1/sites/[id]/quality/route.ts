// GET /api/v1/sites/:id/quality?period= – parameter validity and match keys per event, match-quality score per destination
import { route } from "@/lib/api/handler";
import { qualityQuery } from "@/lib/schemas/health";
import { siteQuality } from "@/lib/health/report";

export const GET = route({ permission: "health:read", query: qualityQuery }, ({ actor, params, query }) => siteQuality(actor, params.id, query.period));
