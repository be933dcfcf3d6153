import { Nav } from "@/components/ui/nav";
import { SkipLink } from "@/components/ui/skip-link";
import { Toaster } from "@/components/ui/toaster";
import { requireActor } from "@/lib/auth/session";
import { getTeam } from "@/lib/team/members";
import { unreadNotifications } from "@/lib/team/notifications";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const [team, unread] = await Promise.all([getTeam(actor), unreadNotifications(actor)]);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <SkipLink />
      <Nav teamName={team.name} userName={actor.label} role={actor.role} unread={unread} />
      <main id="content" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none md:px-8 md:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
      <Toaster />
    </div>
  );
}
