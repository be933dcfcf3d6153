// GET /api/v1/order-imports/:id/errors – the per-row error report as CSV (row, column, problem)
import { route } from "@/lib/api/handler";
import { orderImportErrorsCsv } from "@/lib/reconciliation/orders";

export const GET = route({ permission: "site:read" }, async ({ actor, params }) =>
  new Response(await orderImportErrorsCsv(actor, params.id), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="order-import-${params.id}-errors.csv"`, "cache-control": "no-store" },
  }),
);
