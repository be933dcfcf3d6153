import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listAuditActors, listAuditEntries } from "@/lib/audit/list";
import { auditQuery } from "@/lib/schemas/resources";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, formatDate } from "@/components/ui/primitives";
import { ChangeTable } from "@/components/audit/change-table";
import { ENTITY_TYPES, describeAudit } from "@/components/audit/describe";

export const metadata = { title: "Audit log" };

const SELECT = "rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const parsed = auditQuery.safeParse({
    entityType: raw.entityType || undefined,
    actor: raw.actor || undefined,
    before: raw.before || undefined,
    limit: 50,
  });
  const query = parsed.success ? parsed.data : { limit: 50 };
  const [entries, actors] = await Promise.all([listAuditEntries(actor, query), listAuditActors(actor)]);
  const last = entries.at(-1);
  const olderHref = last
    ? `/audit?${new URLSearchParams({ ...(raw.entityType ? { entityType: raw.entityType } : {}), ...(raw.actor ? { actor: raw.actor } : {}), before: new Date(last.createdAt).toISOString() })}`
    : null;
  const filtered = Boolean(raw.entityType || raw.actor || raw.before);

  return (
    <>
      <PageHeader title="Audit log" description="Every change to this team, through the dashboard or the API: who, when, and what it was before and after." />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        <div>
          <label htmlFor="entityType" className="block text-sm font-medium text-slate-800">
            Entity
          </label>
          <select id="entityType" name="entityType" defaultValue={raw.entityType ?? ""} className={SELECT}>
            <option value="">All entities</option>
            {ENTITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {t.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="actor" className="block text-sm font-medium text-slate-800">
            Person or token
          </label>
          <select id="actor" name="actor" defaultValue={raw.actor ?? ""} className={SELECT}>
            <option value="">Everyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
          Filter
        </button>
        {filtered ? (
          <Link href="/audit" className="py-1.5 text-sm font-medium text-indigo-700 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </form>
      {entries.length === 0 ? (
        <EmptyState title={filtered ? "No entries match these filters" : "No changes yet"}>
          {filtered ? "Try another entity or person." : "Changes made in the dashboard or through the API appear here."}
        </EmptyState>
      ) : (
        <Card>
          <ol className="divide-y divide-slate-100" aria-label="Audit entries">
            {entries.map((e) => (
              <li key={e.id} className="py-3">
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-2 text-sm">
                    <span className="font-medium">{e.actorLabel}</span>
                    {e.actorTokenId ? <Badge>API</Badge> : null}
                    <span>{describeAudit(e)}</span>
                    <span className="ml-auto whitespace-nowrap text-xs text-slate-500">{formatDate(e.createdAt)}</span>
                  </summary>
                  <div className="mt-2 rounded-md bg-slate-50 p-3">
                    <ChangeTable before={e.before} after={e.after} />
                  </div>
                </details>
              </li>
            ))}
          </ol>
          {entries.length === query.limit && olderHref ? (
            <div className="mt-3">
              <ButtonLink href={olderHref} variant="secondary">
                Older entries
              </ButtonLink>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
