"use client";
// An environment's server key, created or rotated here: the new key is shown once, with
// Copy; afterwards only its first characters.
import { useState } from "react";
import { api } from "../ui/api";
import { Alert, Button } from "../ui/primitives";
import { CopyBlock } from "../ui/copy-block";

export function ServerKey({ environmentId, hasKey, prefix, canWrite }: { environmentId: string; hasKey: boolean; prefix: string | null; canWrite: boolean }) {
  const [key, setKey] = useState<string | null>(null);
  const [current, setCurrent] = useState({ hasKey, prefix });
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function rotate() {
    setPending(true);
    const r = await api<{ serverKey: string; serverKeyPrefix: string | null }>("PATCH", `/environments/${environmentId}`, { rotateServerKey: true });
    setPending(false);
    setAsking(false);
    if (!r.ok) return setError(r.message);
    setError(null);
    setKey(r.data.serverKey);
    setCurrent({ hasKey: true, prefix: r.data.serverKeyPrefix });
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        {current.hasKey ? (
          <>
            This environment has a server key, <code className="rounded bg-slate-100 px-1 font-mono text-xs">{current.prefix}…</code>. Backends send it as{" "}
            <code className="rounded bg-slate-100 px-1 font-mono text-xs">Authorization: Bearer</code>.
          </>
        ) : (
          "No server key yet: create one to send events from your backend."
        )}
      </p>
      {key ? (
        <div className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3">
          <Alert tone="green">The new key is shown only now. Copy it into your backend&apos;s secrets (as TAGPIPE_SERVER_KEY).</Alert>
          <CopyBlock id="server-key" label="Server key" code={key} />
        </div>
      ) : null}
      {canWrite ? (
        current.hasKey ? (
          asking ? (
            <span className="flex flex-wrap items-center gap-2">
              <span className="text-sm text-slate-700">The current key stops working at once.</span>
              <Button type="button" variant="danger" disabled={pending} onClick={rotate}>
                Rotate now
              </Button>
              <Button type="button" variant="ghost" onClick={() => setAsking(false)}>
                Cancel
              </Button>
            </span>
          ) : (
            <Button type="button" variant="secondary" onClick={() => setAsking(true)}>
              Rotate server key
            </Button>
          )
        ) : (
          <Button type="button" disabled={pending} onClick={rotate}>
            Create server key
          </Button>
        )
      ) : (
        <p className="text-sm text-slate-500">Publishers and owners create and rotate server keys.</p>
      )}
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}
