// Settings: every team setting in one place, one form per concern, each saved through
// PATCH /api/v1/team. Owners change them; every other role reads them here.
import { requireActor } from "@/lib/auth/session";
import { getTeam } from "@/lib/team/members";
import { can } from "@/lib/rbac/permissions";
import { defaultRetentionDays } from "@/lib/retention/retention";
import { Card, PageHeader } from "@/components/ui/primitives";
import { ApprovalForm, DeleteTeamForm, RetentionForm, TeamNameForm } from "@/components/team/team-settings";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const team = await getTeam(actor);
  const canEdit = can(actor.role, "team:update");
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          canEdit
            ? "This team's name, how long its collected data is kept, whether production needs approval, and deleting it."
            : "This team's settings. Only owners change them."
        }
      />
      <div className="space-y-6">
        <Card title="Team name">
          <TeamNameForm name={team.name} canEdit={canEdit} />
        </Card>
        <Card title="Data retention">
          <RetentionForm retentionDays={team.retentionDays} defaultRetentionDays={defaultRetentionDays()} canEdit={canEdit} />
        </Card>
        <Card title="Publishing">
          <ApprovalForm required={team.productionNeedsApproval} canEdit={canEdit} />
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
