// GET /api/v1/audit – the audit log, newest first, in words; filter by entity, actor, words and dates; paged
import { route } from "@/lib/api/handler";
import { auditQuery } from "@/lib/schemas/resources";
import { listAuditEntries } from "@/lib/audit/list";

export const GET = route({ permission: "audit:read", query: auditQuery }, ({ actor, query }) => listAuditEntries(actor, query));
