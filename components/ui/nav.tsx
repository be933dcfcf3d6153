"use client";
// The one navigation of the dashboard: the same sidebar on every page. Below md (768 px)
// it folds behind a Menu button, so a phone keeps its whole width for the page.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";

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
  { href: "/api-reference", label: "API reference" },
];

export function Nav({ teamName, userName, role, unread = 0 }: { teamName: string; userName: string; role: string; unread?: number }) {
  const pathname = usePathname();
  // The menu is open on the page where it was opened: a link followed on a phone closes
  // it, so the page it opens is in view.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = (value: boolean) => setOpenOn(value ? pathname : null);
  return (
    <aside className="w-full shrink-0 border-b border-slate-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-56 md:flex-col md:border-b-0 md:border-r">
      <div className="flex items-center justify-between gap-3 px-4 py-3 md:block md:border-b md:border-slate-100 md:py-4">
        <div className="min-w-0">
          <Link href="/overview" className="text-lg font-semibold tracking-tight text-indigo-700">
            Tagpipe
          </Link>
          <p className="truncate text-sm font-medium text-slate-800 md:mt-1" title={teamName}>
            {teamName}
          </p>
        </div>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="main-menu"
          onClick={() => setOpen(!open)}
          onKeyDown={(e) => {
            if (e.key === "Escape") setOpen(false);
          }}
          className="inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 md:hidden"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            {open ? (
              <path d="M5.3 4.3a1 1 0 0 1 1.4 0L10 7.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 9l3.3 3.3a1 1 0 0 1-1.4 1.4L10 10.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 9 5.3 5.7a1 1 0 0 1 0-1.4Z" />
            ) : (
              <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
            )}
          </svg>
          Menu
        </button>
      </div>
      <div
        id="main-menu"
        className={`${open ? "flex" : "hidden"} flex-col border-t border-slate-100 md:flex md:min-h-0 md:flex-1 md:border-t-0`}
        onKeyDown={(e) => {
          if (e.key === "Escape" && open) setOpen(false);
        }}
      >
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-2 py-2 md:py-3">
          <ul className="space-y-0.5">
            {LINKS.filter((l) => !l.ownerOnly || role === "owner").map((link) => {
              const owner = LINKS.find((l) => l.owns?.test(pathname));
              const active = owner ? owner === link : pathname === link.href || pathname.startsWith(`${link.href}/`);
              return (
                <li key={link.href}>
                  <Link
                    href={link.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded-md px-3 py-2 text-sm font-medium md:py-1.5 ${active ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
                  >
                    {link.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="flex flex-wrap items-center gap-x-3 border-t border-slate-100 px-4 py-3 text-sm md:block">
          <p className="truncate font-medium text-slate-800">{userName}</p>
          <p className="text-xs text-slate-600">{role}</p>
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
      </div>
    </aside>
  );
}
