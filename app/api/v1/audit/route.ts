// GET /api/v1/audit – the audit log, newest first; filter by entity and actor
import { route } from "@/lib/api/handler";
import { auditQuery } from "@/lib/schemas/resources";
import { listAuditEntries } from "@/lib/audit/list";

export const GET = route({ permission: "audit:read", query: auditQuery }, async ({ actor, query }) => ({
  data: await listAuditEntries(actor, query),
}));
