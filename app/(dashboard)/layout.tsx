import { Nav } from "@/components/ui/nav";
import { requireActor } from "@/lib/auth/session";
import { getTeam } from "@/lib/team/members";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const team = await getTeam(actor);
  return (
    <div className="flex min-h-screen">
      <Nav teamName={team.name} userName={actor.label} role={actor.role} />
      <main className="min-w-0 flex-1 px-8 py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
