import Link from "next/link";
import { loadWorkspace } from "./workspace";
import { ContainerTabs } from "@/components/containers/tabs";

export default async function ContainerLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  const { container, problems } = await loadWorkspace((await params).id);
  return (
    <>
      <p className="mb-1 text-sm text-slate-500">
        <Link href="/containers" className="hover:underline">Containers</Link> /{" "}
        <Link href={`/sites/${container.siteId}`} className="hover:underline">{container.site.name}</Link>
      </p>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{container.name}</h1>
        <Link href={`/sites/${container.siteId}`} className="text-sm font-medium text-indigo-700 hover:underline">
          Site {container.site.name}: settings, environments and install →
        </Link>
      </div>
      <ContainerTabs containerId={container.id} problems={problems.length} />
      {children}
    </>
  );
}
