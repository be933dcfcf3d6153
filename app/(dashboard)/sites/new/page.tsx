import { requireActor } from "@/lib/auth/session";
import { can } from "@/lib/rbac/permissions";
import { Alert, Card, PageHeader } from "@/components/ui/primitives";
import { SiteForm } from "@/components/sites/site-form";

export const metadata = { title: "New site" };

export default async function NewSitePage() {
  const actor = await requireActor();
  return (
    <>
      <PageHeader title="New site" description="A container and production, staging and development environments are created with it." />
      {can(actor.role, "site:write") ? (
        <Card>
          <SiteForm />
        </Card>
      ) : (
        <Alert tone="amber">Your role ({actor.role}) can look at sites but not create them.</Alert>
      )}
    </>
  );
}
