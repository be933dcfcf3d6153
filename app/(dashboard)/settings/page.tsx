import { requireActor } from "@/lib/auth/session";
import { getTeam } from "@/lib/team/members";
import { can } from "@/lib/rbac/permissions";
import { defaultRetentionDays } from "@/lib/retention/retention";
import { Card, PageHeader } from "@/components/ui/primitives";
import { DeleteTeamForm, TeamSettingsForm } from "@/components/team/team-settings";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const team = await getTeam(actor);
  return (
    <>
      <PageHeader title="Settings" description="This team's name, how long its collected data is kept, and deleting it." />
      <div className="space-y-6">
        <Card title="Team">
          <TeamSettingsForm team={{ name: team.name, retentionDays: team.retentionDays, defaultRetentionDays: defaultRetentionDays() }} canEdit={can(actor.role, "team:update")} />
        </Card>
        {can(actor.role, "team:delete") ? (
          <Card title="Delete this team">
            <DeleteTeamForm teamName={team.name} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
