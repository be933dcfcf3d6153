import Link from "next/link";
import { headers } from "next/headers";
import { originFromHeaders } from "@/lib/api/origin";
import { requireActor } from "@/lib/auth/session";
import { can } from "@/lib/rbac/permissions";
import { ButtonLink, Card, PageHeader } from "@/components/ui/primitives";
import { CopyBlock } from "@/components/ui/copy-block";
import { CopyField } from "@/components/ui/copy-field";
import { ApiReference } from "@/components/api/api-reference";

export const metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  const actor = await requireActor();
  const origin = originFromHeaders(await headers());
  const document = `${origin}/api/v1/openapi.json`;
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every route of the REST API at /api/v1, with its permission, request and answer, from the same schemas the server validates with."
        actions={
          <ButtonLink href="/api/v1/openapi.json" variant="secondary" prefetch={false}>
            OpenAPI document (JSON)
          </ButtonLink>
        }
      />
      <div className="space-y-6">
        <Card title="Authenticate" description="Scripts, CI and backends send an API token; the dashboard's own session works too.">
          <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
            <li>
              {can(actor.role, "token:manage") ? (
                <>
                  Create a token on <Link href="/tokens" className="font-medium text-indigo-700 underline">API tokens</Link>: give it a name and the role it acts with
                  (viewer, editor, publisher or owner). Its secret, <code className="font-mono text-xs">tpk_…</code>, is shown once.
                </>
              ) : (
                <>
                  Ask an owner of the team for a token: owners create them on the API tokens page, each with the role it acts with. Its secret,{" "}
                  <code className="font-mono text-xs">tpk_…</code>, is shown once.
                </>
              )}
            </li>
            <li>
              Send it in the <code className="font-mono text-xs">Authorization</code> header of each request. A token acts in this team only; a route it lacks the
              permission for answers 403.
            </li>
            <li>Backends that send conversions use an environment&apos;s server key (<code className="font-mono text-xs">tps_…</code>, on a site&apos;s Install page) for <code className="font-mono text-xs">POST /events</code> only.</li>
          </ol>
          <div className="mt-4 space-y-3">
            <CopyBlock id="api-curl" label="Example" code={`curl -H "Authorization: Bearer $TAGPIPE_TOKEN" ${origin}/api/v1/sites`} />
            <CopyField label="OpenAPI document" value={document} />
          </div>
        </Card>
        <Card title="Routes" className="overflow-hidden">
          <div className="-m-5">
            <ApiReference url="/api/v1/openapi.json" />
          </div>
        </Card>
      </div>
    </>
  );
}
