// Notifications: publish requests to decide, and decisions on your own requests.
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listNotifications } from "@/lib/team/notifications";
import { Card, EmptyState, PageHeader, formatDate } from "@/components/ui/primitives";
import { MarkAllRead } from "@/components/team/mark-all-read";

export const metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await requireActor();
  const { data, unread } = await listNotifications(actor);
  return (
    <>
      <PageHeader title="Notifications" description="Publish requests waiting for your decision, and the decisions on your own requests." actions={unread ? <MarkAllRead /> : null} />
      {data.length === 0 ? (
        <EmptyState title="Nothing new">When someone asks to publish to production, or decides on your request, it shows here.</EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100" aria-label="Notifications">
            {data.map((n) => (
              <li key={n.id} className="flex flex-wrap items-baseline gap-x-3 py-2 text-sm">
                {n.readAt ? null : (
                  <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white">
                    new<span className="sr-only">:</span>
                  </span>
                )}
                <Link href={n.href} className={`hover:underline ${n.readAt ? "text-slate-700" : "font-medium text-indigo-800"}`}>
                  {n.message}
                </Link>
                <span className="ml-auto whitespace-nowrap text-xs text-slate-500">{formatDate(n.createdAt)}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
