// POST /api/v1/containers/:id/import-gtm – import a GTM container export: ?mode=preview (report and diff) or ?mode=apply
import { route } from "@/lib/api/handler";
import { importGtm } from "@/lib/gtm/apply";
import { MAX_GTM_EXPORT_BYTES } from "@/lib/gtm/parse";
import { gtmExportBody, gtmImportQuery } from "@/lib/gtm/schema";

export const POST = route({ permission: "draft:write", body: gtmExportBody, query: gtmImportQuery, maxBodyBytes: MAX_GTM_EXPORT_BYTES }, ({ actor, params, body, query }) =>
  importGtm(actor, params.id, body, query),
);
