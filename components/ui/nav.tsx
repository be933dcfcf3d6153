"use client";
// The one navigation of the dashboard: the same sidebar on every page.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

const LINKS = [
  { href: "/overview", label: "Overview" },
  { href: "/health", label: "Health" },
  { href: "/reconciliation", label: "Reconciliation" },
  { href: "/plan", label: "Tracking plan" },
  { href: "/sites", label: "Sites" },
  // A site's Install, Live events and delivery-log pages belong here, not under Sites.
  { href: "/stream", label: "Live events", owns: /^\/sites\/[^/]+\/(install|stream|deliveries)\// },
  { href: "/containers", label: "Containers" },
  { href: "/alerts", label: "Alerts" },
  { href: "/members", label: "Members" },
  { href: "/tokens", label: "API tokens", ownerOnly: true },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
];

export function Nav({ teamName, userName, role, unread = 0 }: { teamName: string; userName: string; role: string; unread?: number }) {
  const pathname = usePathname();
  return (
    // Below md the sidebar becomes a bar above the page (links scroll sideways), so a 390 px screen keeps its width for the page.
    <aside className="flex w-full shrink-0 flex-col border-b border-slate-200 bg-white md:w-56 md:border-b-0 md:border-r">
      <div className="flex items-baseline justify-between gap-3 border-b border-slate-100 px-4 py-3 md:block md:py-4">
        <Link href="/overview" className="text-lg font-semibold tracking-tight text-indigo-700">
          Tagpipe
        </Link>
        <p className="mt-1 truncate text-sm font-medium text-slate-800" title={teamName}>
          {teamName}
        </p>
      </div>
      <nav aria-label="Main" className="flex-1 overflow-x-auto px-2 py-2 md:py-3">
        <ul className="flex gap-1 md:block md:space-y-0.5">
          {LINKS.filter((l) => !l.ownerOnly || role === "owner").map((link) => {
            const owner = LINKS.find((l) => l.owns?.test(pathname));
            const active = owner ? owner === link : pathname === link.href || pathname.startsWith(`${link.href}/`);
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={active ? "page" : undefined}
                  className={`block whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {link.label}
                </Link>
              </li>
            );
          })}
          <li>
            <a href="/api/v1/openapi.json" className="block whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
              API reference
            </a>
          </li>
        </ul>
      </nav>
      <div className="flex flex-wrap items-center gap-x-3 border-t border-slate-100 px-4 py-2 text-sm md:block md:py-3">
        <p className="truncate font-medium text-slate-800">{userName}</p>
        <p className="text-xs text-slate-500">{role}</p>
        <Link
          href="/notifications"
          aria-current={pathname === "/notifications" ? "page" : undefined}
          aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
          className="inline-flex items-center gap-1.5 text-sm font-medium text-slate-700 hover:underline md:mt-2 md:flex"
        >
          Notifications
          {unread ? <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white">{unread}</span> : null}
        </Link>
        <button type="button" onClick={() => signOut({ callbackUrl: "/signin" })} className="text-sm font-medium text-indigo-700 hover:underline md:mt-2">
          Sign out
        </button>
      </div>
    </aside>
  );
}
