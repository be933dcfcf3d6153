// POST /api/v1/sites/:id/catalog – replace the site's product catalog with a CSV file (the raw body, streamed), its columns named in the query
import { json, route } from "@/lib/api/handler";
import { catalogImportQuery } from "@/lib/schemas/orders";
import { importCatalog } from "@/lib/reconciliation/catalog";

export const POST = route({ permission: "site:write", query: catalogImportQuery }, async ({ actor, params, query, request }) => {
  const { delimiter, ...mapping } = query;
  const result = await importCatalog(actor, params.id, request.body, { mapping, delimiter });
  if (result.ok) return json(result, 201);
  return json({ error: { code: "file_refused", message: result.error, fields: [{ path: "body", message: result.error }] }, problems: result.problems }, 422);
});
