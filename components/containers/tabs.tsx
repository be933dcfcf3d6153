"use client";
// The container workspace's tabs: the same on every container page.
import Link from "next/link";
import { usePathname } from "next/navigation";

export function ContainerTabs({ containerId, problems }: { containerId: string; problems: number }) {
  const pathname = usePathname();
  const base = `/containers/${containerId}`;
  const tabs = [
    { href: base, label: "Overview" },
    { href: `${base}/events`, label: "Events" },
    { href: `${base}/triggers`, label: "Triggers" },
    { href: `${base}/variables`, label: "Variables" },
    { href: `${base}/destinations`, label: "Destinations" },
    { href: `${base}/versions`, label: "Versions & publish" },
  ];
  return (
    <nav aria-label="Container" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-4">
        {tabs.map((t) => {
          const active = pathname === t.href;
          return (
            <li key={t.href}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-2 text-sm font-medium ${active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800"}`}
              >
                {t.label}
                {t.label === "Versions & publish" && problems > 0 ? (
                  <span className="ml-1.5 rounded-full bg-amber-100 px-1.5 text-xs text-amber-800">
                    <span className="sr-only">, </span>
                    {problems} problem{problems === 1 ? "" : "s"}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
