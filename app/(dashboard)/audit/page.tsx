// The audit log: every change in words, newest first, each linked to its item; filtered
// by entity, person, words and a date range (a GET form, so a filtered view is a link),
// and paged.
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listAuditActors, listAuditEntries } from "@/lib/audit/list";
import { auditQuery } from "@/lib/schemas/resources";
import { fieldProblems } from "@/lib/schemas/problems";
import { Alert, Badge, ButtonLink, Card, EmptyState, PageHeader, formatDate } from "@/components/ui/primitives";
import { ENTITY_TYPES, NOUNS } from "@/lib/audit/describe";

export const metadata = { title: "Audit log" };

const INPUT = "rounded-md border-0 bg-white py-1.5 pl-2 text-sm ring-1 ring-inset ring-slate-300";
const FILTERS = ["entityType", "actor", "q", "from", "to"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const given = Object.fromEntries(FILTERS.filter((k) => raw[k]).map((k) => [k, raw[k]]));
  const parsed = auditQuery.safeParse({ ...given, page: raw.page || undefined, limit: 25 });
  const problems = parsed.success ? {} : Object.fromEntries(fieldProblems(parsed.error).map((p) => [p.path, p.message]));
  const query = parsed.success ? parsed.data : { page: 1, limit: 25 };
  const [log, actors] = await Promise.all([listAuditEntries(actor, query), listAuditActors(actor)]);
  const filtered = Object.keys(given).length > 0;
  const pageHref = (page: number) => `/audit?${new URLSearchParams({ ...given, page: String(page) })}`;
  const first = (log.page - 1) * log.limit + 1;

  return (
    <>
      <PageHeader title="Audit log" description="Every change to this team, through the dashboard or the API: who, when, and what changed, in words." />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        <div>
          <label htmlFor="entityType" className="block text-sm font-medium text-slate-800">
            Kind of item
          </label>
          <select id="entityType" name="entityType" defaultValue={raw.entityType ?? ""} className={`${INPUT} pr-8`}>
            <option value="">Everything</option>
            {ENTITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {NOUNS[t] || t.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="actor" className="block text-sm font-medium text-slate-800">
            Person or token
          </label>
          <select id="actor" name="actor" defaultValue={raw.actor ?? ""} className={`${INPUT} pr-8`}>
            <option value="">Everyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q" className="block text-sm font-medium text-slate-800">
            Search
          </label>
          <input id="q" name="q" type="search" defaultValue={raw.q ?? ""} placeholder="Item, person or action" maxLength={100} className={`${INPUT} w-56 pr-2`} />
        </div>
        <div>
          <label htmlFor="from" className="block text-sm font-medium text-slate-800">
            From
          </label>
          <input id="from" name="from" type="date" defaultValue={raw.from ?? ""} aria-invalid={problems.from ? true : undefined} aria-describedby={problems.from ? "from-error" : undefined} className={`${INPUT} pr-2`} />
          {problems.from ? <p id="from-error" className="mt-1 text-xs text-red-700">{problems.from}</p> : null}
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium text-slate-800">
            To
          </label>
          <input id="to" name="to" type="date" defaultValue={raw.to ?? ""} aria-invalid={problems.to ? true : undefined} aria-describedby={problems.to ? "to-error" : undefined} className={`${INPUT} pr-2`} />
          {problems.to ? <p id="to-error" className="mt-1 text-xs text-red-700">{problems.to}</p> : null}
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
      {parsed.success ? null : (
        <div className="mb-4">
          <Alert>These filters could not be read; showing the whole log.</Alert>
        </div>
      )}
      {log.data.length === 0 ? (
        <EmptyState title={filtered ? "No entries match these filters" : "No changes yet"}>
          {filtered ? "Try other words, another person or a wider date range." : "Changes made in the dashboard or through the API appear here."}
        </EmptyState>
      ) : (
        <Card>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {first}–{first + log.data.length - 1} of {log.total} entr{log.total === 1 ? "y" : "ies"}
          </p>
          <ol className="divide-y divide-slate-100" aria-label="Audit entries">
            {log.data.map((e) => (
              <li key={e.id} className="py-3">
                <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
                  <span className="font-medium">{e.actorLabel}</span>
                  {e.actorTokenId ? <Badge>API</Badge> : null}
                  {e.href ? (
                    <Link href={e.href} className="text-indigo-700 hover:underline">
                      {e.summary}
                    </Link>
                  ) : (
                    <span>{e.summary}</span>
                  )}
                  <span className="ml-auto whitespace-nowrap text-xs text-slate-500">{formatDate(e.createdAt)}</span>
                </p>
                {e.changes.length ? (
                  <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700" aria-label="What changed">
                    {e.changes.map((sentence, i) => (
                      <li key={i}>{sentence}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ol>
          {log.pages > 1 ? (
            <nav aria-label="Pages of the audit log" className="mt-3 flex items-center gap-3 text-sm">
              {log.page > 1 ? (
                <ButtonLink href={pageHref(log.page - 1)} variant="secondary">
                  Newer
                </ButtonLink>
              ) : null}
              <span className="text-slate-600">
                Page {log.page} of {log.pages}
              </span>
              {log.page < log.pages ? (
                <ButtonLink href={pageHref(log.page + 1)} variant="secondary">
                  Older
                </ButtonLink>
              ) : null}
            </nav>
          ) : null}
        </Card>
      )}
    </>
  );
}
