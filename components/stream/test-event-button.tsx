"use client";
// "Send test event": one server event through the collector, then a link to it in the stream.
import Link from "next/link";
import { useState } from "react";
import { api } from "../ui/api";
import { Alert, Button } from "../ui/primitives";

type Sent = { eventId: string; name: string; result: { status: string; errors?: { field: string; message: string }[] } };

export function TestEventButton({ environmentId, streamHref, canSend }: { environmentId: string; streamHref: string; canSend: boolean }) {
  const [sent, setSent] = useState<Sent | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canSend) return <p className="text-sm text-slate-500">Editors, publishers and owners can send test events.</p>;
  return (
    <div className="space-y-2">
      <Button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const r = await api<Sent>("POST", `/environments/${environmentId}/test-event`, {});
          setPending(false);
          if (!r.ok) {
            setSent(null);
            return setError(r.detail);
          }
          setError(null);
          setSent(r.data);
        }}
      >
        {pending ? "Sending…" : "Send test event"}
      </Button>
      {sent ? (
        <Alert tone={sent.result.status === "rejected" ? "amber" : "green"}>
          The collector answered <strong>{sent.result.status}</strong> for a test <code className="font-mono">{sent.name}</code> ({sent.eventId})
          {sent.result.errors?.length ? `: ${sent.result.errors.map((e) => `${e.field} ${e.message}`).join("; ")}` : ""}.{" "}
          <Link className="font-medium underline" href={`${streamHref}?q=${encodeURIComponent(sent.eventId)}`}>
            See it in the live stream
          </Link>
        </Alert>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}
