import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listSites } from "@/lib/config/sites";
import { ButtonLink, Card, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/primitives";

export const metadata = { title: "Reconciliation" };

export default async function ReconciliationIndexPage() {
  const actor = await requireActor();
  const sites = await listSites(actor);
  return (
    <>
      <PageHeader title="Reconciliation" description="Your shop's own orders against what each ad platform received: per order and per destination, what happened and why. Pick a site." />
      {sites.length === 0 ? (
        <EmptyState title="No sites yet" action={actor.role !== "viewer" ? <ButtonLink href="/sites/new">Create your first site</ButtonLink> : null}>
          Reconciliation needs a site that receives conversions, and its orders.
        </EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Site</Th>
                <Th>Reconciliation</Th>
                <Th>Orders</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sites.map((s) => (
                <tr key={s.id}>
                  <Td className="font-medium">{s.name}</Td>
                  <Td>
                    <Link href={`/sites/${s.id}/reconciliation`} className="font-medium text-indigo-700 hover:underline">
                      Open reconciliation
                    </Link>
                  </Td>
                  <Td>
                    <Link href={`/sites/${s.id}/orders`} className="font-medium text-indigo-700 hover:underline">
                      Import orders
                    </Link>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
