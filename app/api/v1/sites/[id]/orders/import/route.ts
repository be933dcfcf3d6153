// POST /api/v1/sites/:id/orders/import – a CSV file of orders as the raw body, streamed (no size cap), with its column mapping in the query
import { json, route } from "@/lib/api/handler";
import { orderImportQuery } from "@/lib/schemas/orders";
import { importOrdersCsv } from "@/lib/reconciliation/import-csv";

export const POST = route({ permission: "site:write", query: orderImportQuery }, async ({ actor, params, query, request }) => {
  const { delimiter, fileName, ...mapping } = query;
  const result = await importOrdersCsv(actor, params.id, request.body, { mapping, delimiter, fileName });
  if (result.status === "done") return json(result, 201);
  return json({ error: { code: "file_refused", message: result.error, fields: [{ path: "body", message: result.error }] }, import: result }, 422);
});
