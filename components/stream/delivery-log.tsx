"use client";
// A destination's delivery log: failures (dead letters and retries) newest first, with
// the platform's error; publishers and owners replay one, several, or every dead letter,
// and watch the replayed deliveries' outcome here.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, EmptyState, Table, Td, Th } from "../ui/primitives";
import { SelectField } from "../ui/fields";

type Delivery = {
  id: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  lastAttempt: { at?: string; outcome?: string } | null;
  event: { id: string; name: string; eventId: string; environmentId: string; receivedAt: string; test: boolean } | null;
};
type Page = { data: Delivery[]; nextCursor: string | null };

const TONE: Record<string, "green" | "amber" | "red" | "slate" | "indigo"> = { delivered: "green", dead: "red", held: "indigo", pending: "slate" };
const badgeOf = (d: Delivery) => (d.status === "pending" && d.attempts > 0 ? "retrying" : d.status);
const short = (iso: string | undefined) => (iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) : "");

export function DeliveryLog({ destinationId, siteId, canReplay }: { destinationId: string; siteId: string; canReplay: boolean }) {
  const [status, setStatus] = useState("failed");
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [replay, setReplay] = useState<{ ids: string[]; rows: Delivery[]; count: number } | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const [pending, setPending] = useState(false);
  const cursor = cursors.at(-1);

  const load = useCallback(async () => {
    const params = new URLSearchParams({ destinationId, limit: "50" });
    if (status) params.set("status", status);
    if (cursor) params.set("cursor", cursor);
    const r = await api<Page>("GET", `/deliveries?${params}`);
    if (!r.ok) return setError(r.detail);
    setError(null);
    setPage(r.data);
  }, [destinationId, status, cursor]);

  useEffect(() => {
    const first = setTimeout(() => void load(), 0);
    return () => clearTimeout(first);
  }, [load]);

  // The replayed deliveries, read again every second until none is waiting any more (or 60 s).
  const replayed = replay?.ids.slice(0, 500).join(",") ?? "";
  useEffect(() => {
    if (!replayed) return;
    const started = Date.now();
    const timer = setInterval(async () => {
      const r = await api<Page>("GET", `/deliveries?ids=${replayed}&limit=500`);
      if (!r.ok) return;
      setReplay((prev) => (prev ? { ...prev, rows: r.data.data } : prev));
      const settled = r.data.data.every((d) => d.status !== "pending" || (d.attempts > 0 && d.lastAttempt?.outcome !== "replayed"));
      if (settled || Date.now() - started > 60_000) {
        clearInterval(timer);
        void load();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [replayed, load]);

  async function run(body: { ids?: string[]; destinationId?: string }) {
    setPending(true);
    const r = await api<{ replayed: number; ids: string[] }>("POST", "/deliveries/replay", body);
    setPending(false);
    setConfirmAll(false);
    if (!r.ok) return setError(r.detail);
    setSelected(new Set());
    setReplay({ ids: r.data.ids, rows: [], count: r.data.replayed });
  }

  const dead = (page?.data ?? []).filter((d) => d.status === "dead");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-56">
          <SelectField
            label="Show"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(null);
              setCursors([]);
              setSelected(new Set());
            }}
          >
            <option value="failed">failures (dead and retrying)</option>
            <option value="dead">dead letters</option>
            <option value="retrying">retrying</option>
            <option value="delivered">delivered</option>
            <option value="held">held</option>
          </SelectField>
        </div>
        {canReplay ? (
          <div className="flex flex-wrap items-center gap-2">
            <Button type="button" disabled={!selected.size || pending} onClick={() => run({ ids: [...selected] })}>
              Replay selected{selected.size ? ` (${selected.size})` : ""}
            </Button>
            {confirmAll ? (
              <>
                <span className="text-sm text-slate-700">Every dead letter of this destination goes back in the queue.</span>
                <Button type="button" variant="danger" disabled={pending} onClick={() => run({ destinationId })}>
                  Replay all dead letters
                </Button>
                <Button type="button" variant="ghost" onClick={() => setConfirmAll(false)}>
                  Cancel
                </Button>
              </>
            ) : (
              <Button type="button" variant="secondary" disabled={!dead.length} onClick={() => setConfirmAll(true)}>
                Replay all dead letters…
              </Button>
            )}
          </div>
        ) : (
          <p className="text-sm text-slate-500">Publishers and owners can replay dead letters.</p>
        )}
      </div>

      {replay ? (
        <section aria-label="Replay result" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm">
          <p className="font-medium text-indigo-900">
            {replay.count === 0 ? "Nothing to replay: no dead letter matched." : `Replayed ${replay.count} dead letter${replay.count === 1 ? "" : "s"}.`}{" "}
            {replay.rows.length ? "Their outcome:" : replay.count ? "Waiting for the forwarder…" : ""}
          </p>
          {replay.rows.length ? (
            <ul className="mt-2 space-y-1">
              {replay.rows.map((d) => (
                <li key={d.id} className="flex flex-wrap items-center gap-2">
                  <Badge tone={TONE[badgeOf(d)] ?? "amber"}>{d.status === "pending" && d.lastAttempt?.outcome === "replayed" ? "queued" : badgeOf(d)}</Badge>
                  <span className="font-mono text-xs">{d.event?.eventId ?? d.id}</span>
                  {d.status !== "delivered" && d.lastError ? <span className="text-xs text-red-800">{d.lastError.slice(0, 200)}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {error ? <Alert>{error}</Alert> : null}
      {!page && !error ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600" role="status">
          Loading deliveries…
        </p>
      ) : null}
      {page && page.data.length === 0 ? (
        <EmptyState title={status === "failed" || status === "dead" || status === "retrying" ? "No failures" : "No deliveries"}>
          {status === "failed" ? "Every delivery to this destination went through, or is still waiting for its first attempt." : "Nothing matches this view."}
        </EmptyState>
      ) : null}
      {page && page.data.length > 0 ? (
        <div className="rounded-lg border border-slate-200 bg-white">
          <Table>
            <thead>
              <tr>
                {canReplay ? (
                  <Th>
                    <input
                      type="checkbox"
                      aria-label="Select every dead letter on this page"
                      checked={dead.length > 0 && dead.every((d) => selected.has(d.id))}
                      onChange={(e) => setSelected(e.target.checked ? new Set(dead.map((d) => d.id)) : new Set())}
                    />
                  </Th>
                ) : null}
                <Th>Event</Th>
                <Th>Status</Th>
                <Th>Attempts</Th>
                <Th>Last attempt (UTC)</Th>
                <Th>The platform said</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((d) => (
                <tr key={d.id} data-delivery-id={d.id}>
                  {canReplay ? (
                    <Td>
                      <input
                        type="checkbox"
                        disabled={d.status !== "dead"}
                        aria-label={`Select ${d.event?.eventId ?? d.id}`}
                        checked={selected.has(d.id)}
                        onChange={(e) => {
                          const next = new Set(selected);
                          if (e.target.checked) next.add(d.id);
                          else next.delete(d.id);
                          setSelected(next);
                        }}
                      />
                    </Td>
                  ) : null}
                  <Td>
                    {d.event ? (
                      <Link className="font-medium text-indigo-700 hover:underline" href={`/sites/${siteId}/stream/${d.event.environmentId}/events/${d.event.id}`}>
                        {d.event.name}
                      </Link>
                    ) : (
                      "—"
                    )}
                    <span className="block max-w-[14rem] truncate font-mono text-xs text-slate-500">{d.event?.eventId}</span>
                  </Td>
                  <Td>
                    <Badge tone={TONE[badgeOf(d)] ?? "amber"}>{badgeOf(d)}</Badge>
                  </Td>
                  <Td>{d.attempts}</Td>
                  <Td className="whitespace-nowrap font-mono text-xs">{short(d.lastAttempt?.at)}</Td>
                  <Td className="max-w-md break-words text-xs text-red-800">
                    {d.lastStatus ? <span className="mr-1 font-mono text-slate-700">HTTP {d.lastStatus}</span> : null}
                    {d.lastError ?? ""}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      ) : null}
      {page ? (
        <div className="flex gap-2">
          <Button type="button" variant="secondary" disabled={!cursors.length} onClick={() => (setPage(null), setCursors(cursors.slice(0, -1)))}>
            Newer
          </Button>
          <Button type="button" variant="secondary" disabled={!page.nextCursor} onClick={() => page.nextCursor && (setPage(null), setCursors([...cursors, page.nextCursor]))}>
            Older
          </Button>
        </div>
      ) : null}
    </div>
  );
}
