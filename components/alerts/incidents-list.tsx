"use client";
// A site's incidents, newest first: what fired, since when, whether it is over; publishers
// and owners acknowledge or mute; each incident's history opens in place.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, EmptyState, formatDate } from "../ui/primitives";

export type IncidentRow = {
  id: string;
  title: string;
  kind: string;
  subjectLabel: string;
  status: string;
  message: string;
  openedAt: string | Date;
  lastSeenAt: string | Date;
  resolvedAt: string | Date | null;
  acknowledgedAt: string | Date | null;
  acknowledgedBy: string | null;
  mutedUntil: string | Date | null;
  muted: boolean;
};

type HistoryEntry = { id: string; kind: string; detail: string; actorLabel: string; at: string };

const HISTORY_LABELS: Record<string, string> = {
  opened: "Opened",
  notified: "Notified",
  notify_failed: "Notification failed",
  suppressed: "Not notified",
  acknowledged: "Acknowledged",
  muted: "Muted",
  unmuted: "Unmuted",
  resolved: "Resolved",
  recovery_notified: "Recovery sent",
};

const MUTE_CHOICES = [
  { minutes: 60, label: "1 hour" },
  { minutes: 240, label: "4 hours" },
  { minutes: 1440, label: "1 day" },
  { minutes: 10080, label: "1 week" },
];

function IncidentItem({ incident, canManage }: { incident: IncidentRow; canManage: boolean }) {
  const router = useRouter();
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [open, setOpen] = useState(false);
  const [muteFor, setMuteFor] = useState(60);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function toggleHistory() {
    if (!open && !history) {
      const r = await api<{ history: HistoryEntry[] }>("GET", `/incidents/${incident.id}`);
      if (!r.ok) return setError(r.message);
      setHistory(r.data.history);
    }
    setOpen(!open);
  }

  async function run(path: string, body?: unknown) {
    setPending(true);
    const r = await api<{ history: HistoryEntry[] }>("POST", `/incidents/${incident.id}/${path}`, body);
    setPending(false);
    if (!r.ok) return setError(r.message);
    setError(null);
    setHistory(r.data.history);
    router.refresh();
  }

  const live = incident.status === "open";
  return (
    <li id={`incident-${incident.id}`} className="space-y-2 py-3 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-[14rem] flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={live ? "red" : "green"}>{live ? "open" : "resolved"}</Badge>
            <span className="font-medium text-slate-900">{incident.title}</span>
            <span className="text-sm text-slate-600">· {incident.subjectLabel}</span>
            {incident.acknowledgedAt ? <Badge tone="indigo">acknowledged by {incident.acknowledgedBy}</Badge> : null}
            {incident.muted && incident.mutedUntil ? <Badge tone="amber">muted until {formatDate(incident.mutedUntil)}</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-slate-700">{incident.message}</p>
          <p className="mt-0.5 text-xs text-slate-500">
            Opened {formatDate(incident.openedAt)}
            {incident.resolvedAt ? ` · resolved ${formatDate(incident.resolvedAt)}` : ` · last seen ${formatDate(incident.lastSeenAt)}`}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {canManage && live && !incident.acknowledgedAt ? (
            <Button type="button" variant="secondary" disabled={pending} onClick={() => run("acknowledge")}>
              Acknowledge
            </Button>
          ) : null}
          {canManage && live ? (
            incident.muted ? (
              <Button type="button" variant="ghost" disabled={pending} onClick={() => run("mute", { minutes: 0 })}>
                Unmute
              </Button>
            ) : (
              <span className="flex items-center gap-1">
                <label htmlFor={`mute-${incident.id}`} className="sr-only">
                  Mute for
                </label>
                <select id={`mute-${incident.id}`} value={muteFor} onChange={(e) => setMuteFor(Number(e.target.value))} className="rounded-md border-0 py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300">
                  {MUTE_CHOICES.map((c) => (
                    <option key={c.minutes} value={c.minutes}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <Button type="button" variant="ghost" disabled={pending} onClick={() => run("mute", { minutes: muteFor })}>
                  Mute
                </Button>
              </span>
            )
          ) : null}
          <Button type="button" variant="ghost" aria-expanded={open} onClick={toggleHistory}>
            {open ? "Hide history" : "History"}
          </Button>
        </div>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {open && history ? (
        <ol className="ml-1 space-y-1 border-l-2 border-slate-200 pl-3 text-sm">
          {history.map((h) => (
            <li key={h.id}>
              <span className="font-medium text-slate-800">{HISTORY_LABELS[h.kind] ?? h.kind}</span>
              <span className="text-slate-500"> · {formatDate(h.at)} · {h.actorLabel}</span>
              {h.detail ? <span className="block break-words text-slate-600">{h.detail}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function IncidentsList({ incidents, canManage, emptyText }: { incidents: IncidentRow[]; canManage: boolean; emptyText: string }) {
  if (!incidents.length) return <EmptyState title="Nothing here">{emptyText}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-100">
      {incidents.map((i) => (
        <IncidentItem key={i.id} incident={i} canManage={canManage} />
      ))}
    </ul>
  );
}
