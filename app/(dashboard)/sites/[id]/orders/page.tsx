import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { listOrderImports, reconciliationSite } from "@/lib/reconciliation/orders";
import { Badge, Card, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";
import { OrderUpload } from "@/components/reconciliation/order-upload";
import { CopyBlock } from "@/components/ui/copy-block";

export const metadata = { title: "Orders" };

export default async function OrdersPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const [site, list] = await Promise.all([reconciliationSite(actor, id), listOrderImports(actor, id)]).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Orders · ${site.name}`}
        description="Your shop's own orders, the ground truth reconciliation compares every destination against. Orders are keyed by order id: importing the same file again changes nothing, a later file updates status and value. Emails and phones are hashed on arrival and never stored."
        actions={
          <Link href={`/sites/${id}/reconciliation`} className="text-sm font-medium text-indigo-700 hover:underline">
            Reconciliation
          </Link>
        }
      />
      <div className="space-y-6">
        <p className="text-sm text-slate-700">
          <span className="font-semibold text-slate-900">{list.orders.toLocaleString("en-GB")}</span> orders stored for this site.
        </p>
        {can(actor.role, "site:write") ? (
          <Card title="Upload a CSV file" description="Map the file's columns once; rows with problems are skipped and listed, and a file that is wrong as a whole imports nothing.">
            <OrderUpload siteId={id} />
          </Card>
        ) : null}
        <Card title="Recent imports">
          {list.imports.length ? (
            <Table>
              <thead>
                <tr>
                  <Th>Started</Th>
                  <Th>Source</Th>
                  <Th>Status</Th>
                  <Th className="text-right">Rows</Th>
                  <Th className="text-right">New</Th>
                  <Th className="text-right">Updated</Th>
                  <Th className="text-right">Unchanged</Th>
                  <Th className="text-right">Errors</Th>
                  <Th>Report</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.imports.map((i) => (
                  <tr key={i.id}>
                    <Td className="whitespace-nowrap">{formatDate(i.startedAt)}</Td>
                    <Td>{i.source === "csv" ? (i.fileName ?? "CSV") : "API"}</Td>
                    <Td>
                      <Badge tone={i.status === "done" ? "green" : i.status === "failed" ? "red" : "amber"}>{i.status === "failed" ? "refused" : i.status}</Badge>
                      {i.error ? <p className="mt-1 max-w-md text-xs text-red-700">{i.error}</p> : null}
                    </Td>
                    <Td className="text-right tabular-nums">{i.rows.toLocaleString("en-GB")}</Td>
                    <Td className="text-right tabular-nums">{i.inserted.toLocaleString("en-GB")}</Td>
                    <Td className="text-right tabular-nums">{i.updated.toLocaleString("en-GB")}</Td>
                    <Td className="text-right tabular-nums">{i.unchanged.toLocaleString("en-GB")}</Td>
                    <Td className="text-right tabular-nums">{i.errorRows.toLocaleString("en-GB")}</Td>
                    <Td>
                      {i.errorRows || i.error ? (
                        <a href={`/api/v1/order-imports/${i.id}/errors`} className="text-sm font-medium text-indigo-700 hover:underline" download>
                          CSV
                        </a>
                      ) : (
                        <span className="text-xs text-slate-500">—</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-sm text-slate-600">No imports yet. Upload a CSV file above, or send orders from your backend.</p>
          )}
        </Card>
        <Card title="Send orders from your backend" description="Batches of up to 1,000 orders, all or nothing, with an API token of an editor or above.">
          <CopyBlock id="orders-curl" label="curl" code={`curl -X POST $TAGPIPE/api/v1/sites/${id}/orders \\
  -H "authorization: Bearer $TAGPIPE_TOKEN" -H "content-type: application/json" \\
  -d '{"orders":[{"order_id":"1001","created_at":"2026-12-05T14:30:00Z","value":"49.90","currency":"EUR","status":"paid","email":"ada@example.com"}]}'`} />
        </Card>
      </div>
    </>
  );
}
