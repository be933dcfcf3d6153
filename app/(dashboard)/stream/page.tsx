import { requireActor } from "@/lib/auth/session";
import { watchOverview } from "@/lib/stream/watch";
import { ButtonLink, Card, EmptyState, PageHeader } from "@/components/ui/primitives";
import { WatchLinks } from "@/components/stream/watch-links";

export const metadata = { title: "Live events" };

export default async function WatchPage() {
  const actor = await requireActor();
  const sites = await watchOverview(actor);
  return (
    <>
      <PageHeader title="Live events" description="Install each environment, watch its events arrive, and follow every delivery to the platforms." />
      {sites.length === 0 ? (
        <EmptyState title="No sites yet" action={<ButtonLink href="/sites/new">New site</ButtonLink>}>
          Create a site first: its environments appear here.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {sites.map((s) => (
            <Card key={s.id} title={s.name}>
              <WatchLinks site={s} />
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
