// Switches between an environment's Install page and its live stream.
import Link from "next/link";

export function EnvironmentTabs({ siteId, environmentId, view }: { siteId: string; environmentId: string; view: "install" | "stream" }) {
  const tabs = [
    { key: "install", label: "Install", href: `/sites/${siteId}/install/${environmentId}` },
    { key: "stream", label: "Live events", href: `/sites/${siteId}/stream/${environmentId}` },
  ];
  return (
    <nav aria-label="Environment" className="mb-6 flex gap-1 border-b border-slate-200">
      {tabs.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === view ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${t.key === view ? "border-indigo-600 text-indigo-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
