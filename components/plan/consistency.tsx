// Where the sites depart from the tracking plan: one table per plan event, one row per
// site. Differences are highlighted (amber) and broken promises are red.
import Link from "next/link";
import type { planConsistency } from "@/lib/config/consistency";
import { Badge, EmptyState, Td, Th } from "../ui/primitives";
import { platformLabel } from "./platforms";

type Consistency = Awaited<ReturnType<typeof planConsistency>>;

const none = <span className="text-slate-400">—</span>;

export function ConsistencyTables({ rows }: { rows: Consistency }) {
  if (rows.length === 0) return <EmptyState title="Nothing to compare yet">Once the plan has events and a site uses them, this shows where sites differ from the plan.</EmptyState>;
  if (rows[0].sites.length === 0) return <EmptyState title="No sites yet">Create a site: its container will use the plan&apos;s events.</EmptyState>;
  return (
    <div className="space-y-6">
      {rows.map((event) => {
        const differs = event.sites.some((s) => s.used && (s.overrides.length > 0 || s.missingRequired.length > 0 || !s.enabled || s.regionsOff.length > 0));
        return (
          <section key={event.id} aria-labelledby={`consistency-${event.id}`}>
            <h3 className="mb-1 flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
              <span id={`consistency-${event.id}`} className="font-mono">
                {event.name}
              </span>
              {event.sites.every((s) => !s.used) ? <Badge>used by no site</Badge> : differs ? <Badge tone="amber">sites differ</Badge> : <Badge tone="green">consistent</Badge>}
            </h3>
            <div className="overflow-x-auto">
              {/* Fixed columns, so the tables of all events line up. */}
              <table className="w-full min-w-[56rem] table-fixed divide-y divide-slate-200 text-left text-sm">
                <thead>
                  <tr>
                    <Th className="w-[14%]">Site</Th>
                    <Th className="w-[10%]">In use</Th>
                    <Th className="w-[26%]">Platform names</Th>
                    <Th className="w-[18%]">Required, unmapped</Th>
                    <Th className="w-[14%]">Destinations</Th>
                    <Th className="w-[18%]">Regions where off</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {event.sites.map((s) => (
                    <tr key={s.containerId}>
                      <Td className="font-medium">
                        <Link href={`/containers/${s.containerId}/events`} className="text-indigo-700 hover:underline">
                          {s.site}
                        </Link>
                      </Td>
                      {s.used ? (
                        <>
                          <Td>{s.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="amber">disabled</Badge>}</Td>
                          <Td>
                            {s.overrides.length === 0 && s.renamedAtDestination.length === 0 ? (
                              <span className="text-slate-500">as in the plan</span>
                            ) : (
                              <ul className="space-y-0.5">
                                {s.overrides.map((o) => (
                                  <li key={o.platform} className="rounded bg-amber-50 px-1.5 text-amber-900">
                                    {platformLabel(o.platform)}: <span className="font-mono text-xs">{o.site}</span>{" "}
                                    <span className="text-xs">(plan: {o.plan ? <span className="font-mono">{o.plan}</span> : "none"})</span>
                                  </li>
                                ))}
                                {s.renamedAtDestination.map((r) => (
                                  <li key={r.destination} className="rounded bg-amber-50 px-1.5 text-amber-900">
                                    sent to {r.destination} as <span className="font-mono text-xs">{r.name}</span>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </Td>
                          <Td>
                            {s.missingRequired.length === 0 ? (
                              <span className="text-emerald-700">all mapped</span>
                            ) : (
                              <span className="flex flex-wrap gap-1">
                                {s.missingRequired.map((m) => (
                                  <Badge key={m} tone="red">
                                    {m}
                                  </Badge>
                                ))}
                              </span>
                            )}
                          </Td>
                          <Td>{s.destinations.length ? s.destinations.join(", ") : <span className="text-amber-800">none: it goes nowhere</span>}</Td>
                          <Td>
                            {s.regionsOff.length === 0
                              ? none
                              : s.regionsOff.map((r) => (
                                  <p key={r.region}>
                                    <span className="font-mono text-xs">{r.region}</span>: {r.off.join(", ")} off
                                  </p>
                                ))}
                          </Td>
                        </>
                      ) : (
                        <td colSpan={5} className="px-3 py-2 align-top text-slate-500">
                          not used
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
