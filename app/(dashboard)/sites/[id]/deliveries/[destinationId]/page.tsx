import { notFound } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { siteDestination } from "@/lib/stream/watch";
import { PageHeader } from "@/components/ui/primitives";
import { DeliveryLog } from "@/components/stream/delivery-log";

export const metadata = { title: "Delivery log" };

export default async function DeliveryLogPage({ params }: { params: Promise<{ id: string; destinationId: string }> }) {
  const actor = await requireActor();
  const { id, destinationId } = await params;
  const destination = await siteDestination(actor, id, destinationId).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Delivery log · ${destination.name}`}
        description={
          <>
            <Link className="text-indigo-700 hover:underline" href={`/sites/${id}`}>
              {destination.site.name}
            </Link>{" "}
            · {destination.platform} · failures and dead letters with the platform&apos;s answer, newest first
          </>
        }
      />
      <DeliveryLog destinationId={destinationId} siteId={id} canReplay={can(actor.role, "delivery:replay")} />
    </>
  );
}
