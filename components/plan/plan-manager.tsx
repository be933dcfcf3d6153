"use client";
// The tracking plan: standard events to add in one click, the plan's events with their
// parameters and platform names, one editor open at a time, delete in two steps.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, Card, EmptyState } from "../ui/primitives";
import { ConfirmButton } from "../ui/confirm-button";
import { PlanEventForm, type Owner, type PlanEventRow } from "./plan-event-form";
import { PLATFORM_LABELS, PLATFORMS } from "./platforms";
import { LINKED_RING, linkedProps, useLinkedItem } from "../containers/entity-list";

export type PresetChoice = { name: string; description: string };

function PresetPicker({ presets }: { presets: PresetChoice[] }) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function add(preset: string) {
    setPending(preset);
    const result = await api("POST", "/plan/events", { preset });
    setPending(null);
    if (!result.ok) return setError(`${preset}: ${result.detail}`);
    setError(null);
    router.refresh();
  }

  return (
    <Card title="Add a standard event" description="Standard events come with their required parameters and their names at Meta, TikTok, GA4 and Google Ads.">
      {error ? <div className="mb-3"><Alert>{error}</Alert></div> : null}
      <ul className="flex flex-wrap gap-2">
        {presets.map((p) => (
          <li key={p.name}>
            <Button type="button" variant="secondary" title={p.description} aria-label={`Add ${p.name}`} disabled={pending !== null} onClick={() => add(p.name)}>
              <span aria-hidden="true" className="text-indigo-600">+</span>
              <span className="font-mono text-xs">{pending === p.name ? "adding…" : p.name}</span>
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function EventSummary({ event, ownerName }: { event: PlanEventRow; ownerName: string | undefined }) {
  const platforms = PLATFORMS.filter((p) => event.platformNames[p]);
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div>
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Parameters</p>
        {event.parameters.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">None</p>
        ) : (
          <ul className="mt-1 flex flex-wrap gap-1.5" aria-label={`Parameters of ${event.name}`}>
            {event.parameters.map((p) => (
              <li key={p.name} className="inline-flex items-center gap-1 rounded border border-slate-200 bg-slate-50 px-1.5 py-0.5 text-xs">
                <span className="font-mono text-slate-900">{p.name}</span>
                <span className="text-slate-500">{p.type}</span>
                {p.required ? <span className="font-medium text-red-700">required</span> : <span className="text-slate-400">optional</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Platform names</p>
        {platforms.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">Not named at any platform</p>
        ) : (
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
            {platforms.map((p) => (
              <div key={p} className="contents">
                <dt className="text-slate-500">{PLATFORM_LABELS[p]}</dt>
                <dd className="font-mono text-xs leading-5 text-slate-900">{event.platformNames[p]}</dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <p className="text-xs text-slate-500 lg:col-span-2">
        {event.description ? <span className="text-slate-600">{event.description} · </span> : null}
        Owner: {ownerName ?? "nobody yet"}
      </p>
    </div>
  );
}

export function PlanManager({
  events,
  presets,
  owners,
  canWrite,
  initialEditing,
  initialField,
}: {
  events: PlanEventRow[];
  presets: PresetChoice[];
  owners: Owner[];
  canWrite: boolean;
  /** The plan event a link names (?edit=<id>&field=…, from the audit log): see useLinkedItem. */
  initialEditing?: string;
  initialField?: string;
}) {
  const router = useRouter();
  const { editing, setEditing, linked } = useLinkedItem(events.map((e) => e.id), canWrite, initialEditing, initialField);
  const close = () => setEditing(null);
  const ownerName = (id: string | null) => owners.find((o) => o.id === id)?.name;

  return (
    <div className="space-y-4">
      {canWrite && presets.length > 0 ? <PresetPicker presets={presets} /> : null}
      {events.length === 0 && editing !== "new" ? (
        <EmptyState title="The tracking plan is empty" action={canWrite ? <Button onClick={() => setEditing("new")}>New custom event</Button> : null}>
          The tracking plan defines each conversion event once for the whole team: its parameters, which of them are required, and its name at Meta,
          TikTok, GA4 and Google Ads. Every site&apos;s container then uses these events, so purchase means the same everywhere.
          {canWrite ? " Start with a standard event above, or define your own." : " An editor can add events."}
        </EmptyState>
      ) : null}
      <ul className="space-y-3" aria-label="Plan events">
        {events.map((event) =>
          editing === event.id ? (
            <li key={event.id} id={`entity-${event.id}`}>
              <PlanEventForm event={event} owners={owners} onClose={close} />
            </li>
          ) : (
            <li key={event.id} id={`entity-${event.id}`} {...linkedProps(linked === event.id)} className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${LINKED_RING}`} aria-label={`Plan event ${event.name}`}>
              <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
                <div className="flex flex-wrap items-center gap-2">
                  <h3 className="font-mono text-base font-semibold text-slate-900">{event.name}</h3>
                  <Badge tone={event.usedBy > 0 ? "indigo" : "slate"}>
                    {event.usedBy === 0 ? "not used yet" : `used by ${event.usedBy} container${event.usedBy === 1 ? "" : "s"}`}
                  </Badge>
                </div>
                {canWrite ? (
                  <div className="flex flex-wrap items-center gap-2">
                    <Button variant="secondary" onClick={() => setEditing(event.id)} aria-label={`Edit ${event.name}`}>
                      Edit
                    </Button>
                    <ConfirmButton label="Delete" confirmLabel={`Delete ${event.name}`} action={() => api("DELETE", `/plan/events/${event.id}`)} onDone={() => router.refresh()} />
                  </div>
                ) : null}
              </div>
              <EventSummary event={event} ownerName={ownerName(event.ownerId)} />
            </li>
          ),
        )}
      </ul>
      {editing === "new" ? <PlanEventForm event={null} owners={owners} onClose={close} /> : null}
      {canWrite && editing !== "new" && events.length > 0 ? <Button onClick={() => setEditing("new")}>New custom event</Button> : null}
    </div>
  );
}
