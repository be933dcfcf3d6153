import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listContainers } from "@/lib/config/containers";
import { Badge, Card, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/primitives";

export const metadata = { title: "Containers" };

export default async function ContainersPage() {
  const actor = await requireActor();
  const containers = await listContainers(actor);
  return (
    <>
      <PageHeader title="Containers" description="One per site: its draft configuration, its versions, and what each environment serves." />
      {containers.length === 0 ? (
        <EmptyState title="No containers yet">A container is created with each site.</EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Container</Th>
                <Th>Site</Th>
                <Th>Live versions</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {containers.map((c) => (
                <tr key={c.id}>
                  <Td>
                    <Link href={`/containers/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                      {c.name}
                    </Link>
                  </Td>
                  <Td>{c.site.name}</Td>
                  <Td>
                    <span className="flex flex-wrap gap-2">
                      {c.environments.map((e) => (
                        <Badge key={e.id} tone={e.version ? "green" : "slate"}>
                          {e.name}: {e.version ? `v${e.version.number}` : "nothing published"}
                        </Badge>
                      ))}
                    </span>
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
