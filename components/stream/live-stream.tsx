"use client";
// The live event stream of one environment: newest first, refreshed every second while
// the first page is shown (paused on older pages and in a hidden tab), filters and search
// kept in the URL, keyset pages back in time.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Alert, Button, EmptyState, Table, Td, Th } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import type { StreamPage } from "@/lib/stream/events";
import { DeliveryBadges, EventStatus, consentLabel } from "./badges";

// The API's own page shape (JSON-safe: times are ISO strings), not a second copy of it.
type Page = StreamPage;
type Filters = { name: string; status: string; source: string; destinationId: string; delivery: string; q: string };

const FILTER_KEYS: (keyof Filters)[] = ["name", "status", "source", "destinationId", "delivery", "q"];
const POLL_MS = 1000;

function time(iso: string) {
  const d = new Date(iso);
  return { clock: d.toISOString().slice(11, 23), day: d.toISOString().slice(0, 10) };
}

export function LiveStream({
  environmentId,
  detailHref,
  installHref,
  eventNames,
  destinations,
  initial,
}: {
  environmentId: string;
  detailHref: string;
  installHref: string;
  eventNames: string[];
  destinations: { id: string; name: string }[];
  initial: Filters;
}) {
  const [filters, setFilters] = useState<Filters>(initial);
  const [draft, setDraft] = useState<Filters>(initial);
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const seen = useRef<Set<string> | null>(null);
  const inFlight = useRef(false);
  const cursor = cursors.at(-1);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) if (filters[k]) params.set(k, filters[k]);
    if (cursor) params.set("cursor", cursor);
    const r = await api<Page>("GET", `/environments/${environmentId}/events?${params}`);
    inFlight.current = false;
    if (!r.ok) return setError({ message: r.detail, fields: r.fields });
    setError(null);
    // Rows that were not there at the previous refresh are highlighted for a moment.
    const ids = new Set(r.data.data.map((e) => e.id));
    if (seen.current) setFresh(new Set([...ids].filter((id) => !seen.current!.has(id))));
    seen.current = ids;
    setPage(r.data);
  }, [environmentId, filters, cursor]);

  useEffect(() => {
    seen.current = null;
    const first = setTimeout(() => void load(), 0);
    // Older pages stay still; the first page follows new events.
    const timer = cursor
      ? undefined
      : setInterval(() => {
          if (document.visibilityState === "visible") void load();
        }, POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load, cursor]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setCursors([]);
    setPage(null);
    setFilters(draft);
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) if (draft[k]) params.set(k, draft[k]);
    window.history.replaceState(null, "", `${window.location.pathname}${params.size ? `?${params}` : ""}`);
  }
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const filtered = FILTER_KEYS.some((k) => filters[k]);

  return (
    <div className="space-y-4">
      <form onSubmit={apply} className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-7" aria-label="Filter events">
        <div className="col-span-2 sm:col-span-3 lg:col-span-2">
          <TextField label="Search event_id or order_id" name="q" value={draft.q} onChange={set("q")} error={error?.fields.q} placeholder="order-1001" />
        </div>
        <SelectField label="Event" name="name" value={draft.name} onChange={set("name")} error={error?.fields.name}>
          <option value="">any</option>
          {eventNames.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </SelectField>
        <SelectField label="Status" name="status" value={draft.status} onChange={set("status")} error={error?.fields.status}>
          <option value="">any</option>
          <option>accepted</option>
          <option>rejected</option>
        </SelectField>
        <SelectField label="Source" name="source" value={draft.source} onChange={set("source")} error={error?.fields.source}>
          <option value="">any</option>
          <option>browser</option>
          <option>server</option>
          <option value="both">both (merged)</option>
        </SelectField>
        <SelectField label="Destination" name="destinationId" value={draft.destinationId} onChange={set("destinationId")} error={error?.fields.destinationId}>
          <option value="">any</option>
          {destinations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Delivery" name="delivery" value={draft.delivery} onChange={set("delivery")} error={error?.fields.delivery}>
          <option value="">any</option>
          <option>pending</option>
          <option>retrying</option>
          <option>delivered</option>
          <option>dead</option>
          <option>held</option>
          <option value="not_sent">not sent</option>
        </SelectField>
        <div className="col-span-2 flex flex-wrap items-end gap-2 sm:col-span-3 lg:col-span-7">
          <Button type="submit">Apply</Button>
          {filtered ? (
            <Button
              type="button"
              variant="ghost"
              onClick={() => {
                const empty = { name: "", status: "", source: "", destinationId: "", delivery: "", q: "" };
                setDraft(empty);
                setFilters(empty);
                setCursors([]);
                setPage(null);
                window.history.replaceState(null, "", window.location.pathname);
              }}
            >
              Clear filters
            </Button>
          ) : null}
          <span className="ml-auto text-xs text-slate-600" role="status">
            {cursor ? "Older events: not refreshing" : "Live: refreshing every second"}
          </span>
        </div>
      </form>

      {error ? (
        <Alert>
          {error.message}{" "}
          <button type="button" className="font-medium underline" onClick={() => void load()}>
            Try again
          </button>
        </Alert>
      ) : null}

      {!page && !error ? (
        <div className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600" role="status" aria-live="polite">
          Loading events…
        </div>
      ) : null}

      {page && page.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No event matches these filters">
            {page.partial ? `None among the newest ${page.scanned?.toLocaleString("en")} events. Search further back with "Older events".` : "Change or clear the filters."}
          </EmptyState>
        ) : (
          <EmptyState title="No events yet" action={<Link className="text-sm font-medium text-indigo-700 hover:underline" href={installHref}>Install the container or send a test event</Link>}>
            Events appear here within a second of the collector accepting them.
          </EmptyState>
        )
      ) : null}

      {page && page.data.length > 0 ? (
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table>
            <thead>
              <tr>
                <Th>Time (UTC)</Th>
                <Th>Event</Th>
                <Th>Source</Th>
                <Th>Status</Th>
                <Th>Region</Th>
                <Th>Consent</Th>
                <Th>Deliveries</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((e) => {
                const t = time(e.receivedAt);
                return (
                  <tr key={e.id} data-event-id={e.eventId} className={fresh.has(e.id) ? "bg-indigo-50/60" : undefined}>
                    <Td className="whitespace-nowrap font-mono text-xs">
                      {t.clock}
                      <span className="block text-slate-500">{t.day}</span>
                    </Td>
                    <Td>
                      <Link href={`${detailHref}/${e.id}`} className="font-medium text-indigo-700 hover:underline">
                        {e.name}
                      </Link>
                      {e.test ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs font-medium text-amber-900">test</span> : null}
                      <span className="block max-w-[16rem] truncate font-mono text-xs text-slate-500" title={e.eventId}>
                        {e.eventId}
                      </span>
                    </Td>
                    <Td>{e.source === "both" ? "both" : e.source}</Td>
                    <Td>
                      <EventStatus status={e.status} source={e.source} errors={e.errors} />
                    </Td>
                    <Td>{e.region ?? "—"}</Td>
                    <Td className="whitespace-nowrap">{consentLabel(e.consent)}</Td>
                    <Td>
                      <DeliveryBadges badges={e.deliveries} />
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </div>
      ) : null}

      {page ? (
        <div className="flex items-center gap-2">
          <Button type="button" variant="secondary" disabled={!cursors.length} onClick={() => (setPage(null), setCursors([]))}>
            Newest
          </Button>
          <Button type="button" variant="secondary" disabled={!cursors.length} onClick={() => (setPage(null), setCursors(cursors.slice(0, -1)))}>
            Newer
          </Button>
          <Button type="button" variant="secondary" disabled={!page.nextCursor} onClick={() => page.nextCursor && (setPage(null), setCursors([...cursors, page.nextCursor]))}>
            Older events
          </Button>
          {page.partial ? <span className="text-xs text-slate-600">Filters looked through the newest {page.scanned?.toLocaleString("en")} events of this page.</span> : null}
        </div>
      ) : null}
    </div>
  );
}
