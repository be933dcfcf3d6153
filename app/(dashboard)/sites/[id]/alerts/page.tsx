import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { getSite } from "@/lib/config/sites";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { listAlertRules } from "@/lib/health/alerts/rules";
import { listChannels } from "@/lib/health/channels/channels";
import { smtpConfigured } from "@/lib/health/channels/send";
import { listIncidents } from "@/lib/health/incidents";
import { Card, PageHeader } from "@/components/ui/primitives";
import { RulesEditor } from "@/components/alerts/rules-editor";
import { ChannelsManager } from "@/components/alerts/channels-manager";
import { IncidentsList } from "@/components/alerts/incidents-list";

export const metadata = { title: "Alerts" };

export default async function SiteAlertsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const site = await getSite(actor, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [rules, channels, open, recent] = await Promise.all([
    listAlertRules(actor, id),
    listChannels(actor, id),
    listIncidents(actor, id, { status: "open", limit: 100 }),
    listIncidents(actor, id, { status: "resolved", limit: 30 }),
  ]);
  const canManage = can(actor.role, "alert:manage");
  return (
    <>
      <PageHeader
        title={`Alerts · ${site.name}`}
        description={
          <>
            Every rule is on by default and evaluated every minute in production traffic. An alert opens one incident and sends one message to each channel;
            its end sends one more. <Link href={`/sites/${site.id}`} className="font-medium text-indigo-700 hover:underline">Back to the site</Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card title={`Open incidents (${open.data.length})`}>
          <IncidentsList incidents={open.data} canManage={canManage} emptyText="No rule is firing for this site." />
        </Card>
        <Card title="Channels" description="Where this site's alerts are sent.">
          <ChannelsManager siteId={site.id} channels={channels.data} canManage={canManage} smtpConfigured={smtpConfigured()} />
        </Card>
        <Card title="Rules" description={canManage ? "Thresholds for this site; the defaults apply until you change them." : "Publishers and owners can change these."}>
          <RulesEditor siteId={site.id} rules={rules.data} canManage={canManage} />
        </Card>
        <Card title="History" description="Resolved incidents, newest first (the audit log records each one too).">
          <IncidentsList incidents={recent.data} canManage={false} emptyText="No incident has ended yet." />
        </Card>
      </div>
    </>
  );
}
