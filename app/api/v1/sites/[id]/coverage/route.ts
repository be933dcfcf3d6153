// GET /api/v1/sites/:id/coverage?period= – deduplication coverage per event against the 75 % target
import { route } from "@/lib/api/handler";
import { qualityQuery } from "@/lib/schemas/health";
import { siteCoverage } from "@/lib/health/report";

export const GET = route({ permission: "health:read", query: qualityQuery }, ({ actor, params, query }) => siteCoverage(actor, params.id, query.period));
