import { headers } from "next/headers";
import { originFromHeaders } from "@/lib/api/origin";
import { requireActor } from "@/lib/auth/session";
import { listTokens } from "@/lib/auth/tokens";
import { can } from "@/lib/rbac/permissions";
import { Alert, Card, PageHeader } from "@/components/ui/primitives";
import { TokensManager } from "@/components/team/tokens-manager";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor();
  const origin = originFromHeaders(await headers());
  return (
    <>
      <PageHeader title="API tokens" description="Bearer tokens for the REST API, each scoped to this team and one role. Only a hash is stored." />
      {can(actor.role, "token:manage") ? (
        <Card>
          <TokensManager tokens={await listTokens(actor)} origin={origin} />
        </Card>
      ) : (
        <Alert tone="amber">Only owners manage API tokens.</Alert>
      )}
    </>
  );
}
