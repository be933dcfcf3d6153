import { requireActor } from "@/lib/auth/session";
import { getTeam, listMembers } from "@/lib/team/members";
import { listInvites } from "@/lib/team/invites";
import { can, ROLE_DESCRIPTIONS, ROLES } from "@/lib/rbac/permissions";
import { Card, PageHeader } from "@/components/ui/primitives";
import { MembersManager } from "@/components/team/members-manager";
import Link from "next/link";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const actor = await requireActor();
  const canManage = can(actor.role, "member:manage");
  const [members, invites, team] = await Promise.all([listMembers(actor), canManage ? listInvites(actor) : Promise.resolve([]), getTeam(actor)]);
  return (
    <>
      <PageHeader title="Members" description="Who can see and change this team's tracking, and with which role." />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[1fr_18rem]">
        <Card>
          <MembersManager members={members} invites={invites} canManage={canManage} me={actor.userId} />
        </Card>
        <div className="space-y-6">
          <Card title="Team settings">
            <p className="text-sm text-slate-700">
              Production {team.productionNeedsApproval ? "needs" : "does not need"} approval.{" "}
              <Link href="/settings" className="font-medium text-indigo-700 underline hover:text-indigo-900">
                Team name, data retention, approvals and deleting the team are in Settings
              </Link>
            </p>
          </Card>
          <Card title="Roles">
            <dl className="space-y-3 text-sm">
              {ROLES.map((r) => (
                <div key={r}>
                  <dt className="font-medium">{r}</dt>
                  <dd className="text-slate-600">{ROLE_DESCRIPTIONS[r]}</dd>
                </div>
              ))}
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}
