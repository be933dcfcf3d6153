// The Health page's figures (server components): key figures with the previous period,
// the period picker, the breakdown table, quality and coverage with example events.
import Link from "next/link";
import type { Counts, CoverageReport, Health, Quality } from "@/lib/health/report";
import { Badge, Table, Td, Th, formatDate } from "../ui/primitives";

export const COUNT_LABELS: Record<keyof Counts, string> = {
  received: "Received",
  accepted: "Accepted",
  rejected: "Rejected",
  duplicates: "Duplicates merged",
  delivered: "Delivered",
  failed: "Failed attempts",
  dead: "Dead letters",
};
/** Counts where more is worse: their change is shown red when it grows. */
const BAD = new Set<keyof Counts>(["rejected", "failed", "dead"]);

const fmt = (n: number) => n.toLocaleString("en-GB");
export const pct = (x: number) => `${(Math.round(x * 1000) / 10).toLocaleString("en-GB")} %`;

function Change({ name, current, previous }: { name: keyof Counts; current: number; previous: number }) {
  if (previous === 0) return <span className="text-xs text-slate-500">{current === 0 ? "no change" : "new this period"}</span>;
  const change = (current - previous) / previous;
  const worse = BAD.has(name) ? change > 0 : change < 0;
  return (
    <span className={`text-xs ${change === 0 ? "text-slate-500" : worse ? "text-red-700" : "text-emerald-700"}`}>
      {change > 0 ? "▲" : change < 0 ? "▼" : ""} {pct(Math.abs(change))} vs previous ({fmt(previous)})
    </span>
  );
}

export function KeyFigures({ totals, backlog, names = Object.keys(COUNT_LABELS) as (keyof Counts)[] }: { totals: Health["totals"]; backlog?: Health["backlog"]; names?: (keyof Counts)[] }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {names.map((name) => (
        <div key={name} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-figure={name}>
          <dt className="text-xs font-medium text-slate-600">{COUNT_LABELS[name]}</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{fmt(totals.current[name])}</dd>
          <dd>
            <Change name={name} current={totals.current[name]} previous={totals.previous[name]} />
          </dd>
        </div>
      ))}
      {backlog ? (
        <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-figure="backlog">
          <dt className="text-xs font-medium text-slate-600">Backlog waiting</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{fmt(backlog.pending)}</dd>
          <dd className="text-xs text-slate-500">{backlog.oldestAgeSeconds === null ? "nothing waiting" : `oldest ${age(backlog.oldestAgeSeconds)}`}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Links, so the period and grouping live in the URL and work without JavaScript. */
export function Picker({ base, current, options, label, param, extra }: { base: string; current: string; options: [string, string][]; label: string; param: string; extra: Record<string, string> }) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-1 text-sm">
      <span className="mr-1 text-slate-600">{label}:</span>
      {options.map(([value, text]) => {
        const query = new URLSearchParams({ ...extra, [param]: value });
        return (
          <Link
            key={value}
            href={`${base}?${query}`}
            aria-current={value === current ? "page" : undefined}
            className={`rounded-md px-2.5 py-1 font-medium ${value === current ? "bg-indigo-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-200 hover:bg-slate-50"}`}
          >
            {text}
          </Link>
        );
      })}
    </nav>
  );
}

export function Breakdown({ health }: { health: Health }) {
  const names = (health.by === "destination" ? ["delivered", "failed", "dead"] : Object.keys(COUNT_LABELS)) as (keyof Counts)[];
  return (
    <Table>
      <thead>
        <tr>
          <Th>{health.by}</Th>
          {names.map((n) => (
            <Th key={n} className="text-right">{COUNT_LABELS[n]}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {health.groups.map((g) => (
          <tr key={g.group}>
            <Td className="font-medium">{g.label}</Td>
            {names.map((n) => (
              <Td key={n} className="text-right tabular-nums">
                {fmt(g.current[n])}
                <span className="block text-xs text-slate-500">prev. {fmt(g.previous[n])}</span>
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Examples({ examples }: { examples: { eventId: string; receivedAt: string; problem: string }[] }) {
  if (!examples.length) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
      {examples.map((x) => (
        <li key={`${x.eventId}${x.receivedAt}`}>
          <code className="rounded bg-slate-100 px-1 text-slate-800">{x.eventId}</code> · {formatDate(x.receivedAt)} · {x.problem}
        </li>
      ))}
    </ul>
  );
}

const tone = (s: number) => (s >= 0.95 ? "green" : s >= 0.8 ? "amber" : "red");

export function QualityView({ quality }: { quality: Quality }) {
  return (
    <div className="space-y-6">
      {quality.events.map((e) => {
        const problems = e.checks.filter((c) => c.failing > 0);
        return (
          <section key={e.name} aria-label={`Quality of ${e.name}`} className="space-y-3">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-semibold text-slate-900">
                {e.name} <span className="text-sm font-normal text-slate-600">· {fmt(e.stored)} stored</span>
              </h3>
              {e.link ? (
                <Link href={e.link} className="text-sm font-medium text-indigo-700 hover:underline">
                  Open the mapping of {e.name}
                </Link>
              ) : (
                <span className="text-xs text-slate-500">not in the container&apos;s draft</span>
              )}
            </div>
            <Table>
              <thead>
                <tr>
                  <Th>Parameter check</Th>
                  <Th className="text-right">Valid</Th>
                  <Th>Offending events</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {e.checks.map((c) => (
                  <tr key={c.key} data-check={`${e.name}:${c.key}`}>
                    <Td>{c.label}</Td>
                    <Td className="whitespace-nowrap text-right">
                      <Badge tone={tone(c.validShare)}>{pct(c.validShare)}</Badge>
                    </Td>
                    <Td>
                      {c.failing ? (
                        <>
                          <span className="text-sm">{fmt(c.failing)} failing</span>
                          <Examples examples={c.examples} />
                        </>
                      ) : (
                        <span className="text-xs text-slate-500">none</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {problems.length === 0 ? <p className="text-xs text-emerald-700">Every stored {e.name} passed every check.</p> : null}
            <div>
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Match keys carried (share of accepted)</p>
              <ul className="mt-1 flex flex-wrap gap-2 text-xs">
                {e.keys.map((k) => (
                  <li key={k.key} className="rounded bg-slate-50 px-2 py-1 ring-1 ring-slate-200">
                    {k.label}: <strong>{pct(k.share)}</strong>
                  </li>
                ))}
              </ul>
            </div>
          </section>
        );
      })}
    </div>
  );
}

export function MatchScores({ quality }: { quality: Quality }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Destination</Th>
          <Th className="text-right">Delivered</Th>
          <Th className="text-right">Match quality</Th>
          <Th>Keys (share of delivered events)</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {quality.destinations.map((d) => (
          <tr key={d.id} data-destination={d.name}>
            <Td>
              {d.link ? <Link href={d.link} className="font-medium text-indigo-700 hover:underline">{d.name}</Link> : d.name}
              <span className="block text-xs text-slate-500">{d.platform}</span>
            </Td>
            <Td className="text-right tabular-nums">{fmt(d.delivered)}</Td>
            <Td className="text-right">
              {d.score === null ? <span className="text-xs text-slate-500">{d.delivered ? "no score for this platform" : "nothing delivered"}</span> : <Badge tone={d.score >= 7 ? "green" : d.score >= 4 ? "amber" : "red"}>{d.score.toFixed(1)} / 10</Badge>}
            </Td>
            <Td className="text-xs">{d.keys.map((k) => `${k.label} ${pct(k.share)}`).join(" · ") || "—"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function CoverageTable({ coverage }: { coverage: CoverageReport }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Event</Th>
          <Th className="text-right">Conversions</Th>
          <Th className="text-right">Browser + server</Th>
          <Th className="text-right">Browser only</Th>
          <Th className="text-right">Server only</Th>
          <Th>Examples</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {coverage.events.map((e) => (
          <tr key={e.name} data-coverage={e.name}>
            <Td>
              <span className="font-medium">{e.name}</span>
              {e.link ? (
                <Link href={e.link} className="block text-xs text-indigo-700 hover:underline">
                  mapping
                </Link>
              ) : null}
            </Td>
            <Td className="text-right tabular-nums">{fmt(e.conversions)}</Td>
            <Td className="whitespace-nowrap text-right">
              <Badge tone={e.meetsTarget ? "green" : "amber"}>{pct(e.bothShare)}</Badge>
            </Td>
            <Td className="text-right tabular-nums">{pct(e.browserOnlyShare)}</Td>
            <Td className="text-right tabular-nums">{pct(e.serverOnlyShare)}</Td>
            <Td>
              <Examples examples={e.examples} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
