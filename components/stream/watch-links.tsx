// A site's environments with their Install and Live events pages, and its destinations'
// delivery logs: the same list on the site page and on the Live events page.
import Link from "next/link";
import { Badge, ButtonLink } from "../ui/primitives";

type Site = { id: string; name: string; environments: { id: string; name: string; versionId: string | null }[]; destinations: { id: string; name: string }[] };

export function WatchLinks({ site }: { site: Site }) {
  return (
    <div>
      <ul className="divide-y divide-slate-100">
        {site.environments.map((e) => (
          <li key={e.id} className="flex flex-wrap items-center gap-3 py-2">
            <span className="min-w-[8rem] font-medium text-slate-900">{e.name}</span>
            <Badge tone={e.versionId ? "green" : "slate"}>{e.versionId ? "published" : "nothing published"}</Badge>
            <span className="ml-auto flex gap-2">
              <ButtonLink variant="secondary" href={`/sites/${site.id}/install/${e.id}`} aria-label={`Install ${site.name} ${e.name}`}>
                Install
              </ButtonLink>
              <ButtonLink href={`/sites/${site.id}/stream/${e.id}`} aria-label={`Live events of ${site.name} ${e.name}`}>
                Live events
              </ButtonLink>
            </span>
          </li>
        ))}
      </ul>
      {site.destinations.length ? (
        <p className="mt-3 text-sm text-slate-600">
          Delivery logs:{" "}
          {site.destinations.map((d, i) => (
            <span key={d.id}>
              {i ? ", " : ""}
              <Link className="text-indigo-700 hover:underline" href={`/sites/${site.id}/deliveries/${d.id}`}>
                {d.name}
              </Link>
            </span>
          ))}
        </p>
      ) : (
        <p className="mt-3 text-sm text-slate-600">No destination yet: add one in the container to see its delivery log here.</p>
      )}
    </div>
  );
}
