"use client";
// The environments of a site's container: their public keys and script URLs, adding a
// custom one, rotating a key, deleting a non-production one.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";
import { ConfirmButton } from "../ui/confirm-button";

type Environment = { id: string; name: string; kind: string; publicKey: string; scriptHash?: string | null; integrity?: string | null };

function Install({ env, origin }: { env: Environment; origin: string }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const snippet = `<script async src="${origin}/c/${env.publicKey}.js"></script>`;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-indigo-700">Install and preview</summary>
      <div className="mt-2 space-y-2">
        <label className="block text-xs font-medium text-slate-700" htmlFor={`snippet-${env.id}`}>
          Snippet (in the storefront&apos;s &lt;head&gt;; add nonce=&quot;…&quot; when your CSP uses nonces)
        </label>
        <input id={`snippet-${env.id}`} readOnly value={snippet} onFocus={(e) => e.currentTarget.select()} className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs" />
        {env.scriptHash ? (
          <>
            <label className="block text-xs font-medium text-slate-700" htmlFor={`pinned-${env.id}`}>
              Pinned to the version live now (immutable, with Subresource Integrity)
            </label>
            <input
              id={`pinned-${env.id}`}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
              value={`<script async src="${origin}/c/${env.publicKey}.${env.scriptHash}.js"${env.integrity ? ` integrity="${env.integrity}"` : ""} crossorigin="anonymous"></script>`}
              className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
            />
          </>
        ) : (
          <p className="text-xs text-amber-800">Nothing is published here yet: the script answers 404 until you publish a version.</p>
        )}
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            const r = await api<{ url: string | null; token: string }>("POST", `/environments/${env.id}/preview`);
            if (r.ok) setPreview(r.data.url ?? `?tagpipe_preview=${r.data.token}`);
            else setError(r.message);
          }}
        >
          Create preview link
        </Button>
        {preview ? <input readOnly aria-label={`Preview link for ${env.name}`} value={preview} onFocus={(e) => e.currentTarget.select()} className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs" /> : null}
        {error ? <p role="alert" className="text-red-700">{error}</p> : null}
      </div>
    </details>
  );
}

const TONE: Record<string, "red" | "amber" | "indigo" | "slate"> = { production: "red", staging: "amber", development: "indigo", custom: "slate" };

export function EnvironmentsManager({ containerId, environments, canWrite, origin }: { containerId: string; environments: Environment[]; canWrite: boolean; origin: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    const result = await api("POST", `/containers/${containerId}/environments`, { name, kind: "custom" });
    if (!result.ok) {
      setFields(result.fields);
      setMessage(result.fields.name ? null : result.message);
      return;
    }
    setName("");
    setFields({});
    setMessage(null);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <ul className="divide-y divide-slate-100">
        {environments.map((env) => (
          <li key={env.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="flex items-center gap-2 font-medium">
                {env.name} <Badge tone={TONE[env.kind]}>{env.kind}</Badge>
              </p>
              <p className="mt-0.5 truncate font-mono text-xs text-slate-600" title="Container script URL">
                {origin}/c/{env.publicKey}.js
              </p>
              <Install env={env} origin={origin} />
            </div>
            {canWrite ? (
              <div className="flex flex-wrap gap-2">
                <ConfirmButton
                  variant="secondary"
                  label="Rotate key"
                  confirmLabel="Rotate: the old URL stops working"
                  action={() => api("PATCH", `/environments/${env.id}`, { rotateKey: true })}
                  onDone={() => router.refresh()}
                />
                {env.kind !== "production" ? (
                  <ConfirmButton label="Delete" confirmLabel={`Delete ${env.name}`} action={() => api("DELETE", `/environments/${env.id}`)} onDone={() => router.refresh()} />
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form onSubmit={add} noValidate className="flex items-end gap-2" aria-label="New environment">
          <div className="w-64">
            <TextField label="New custom environment" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} placeholder="qa" />
          </div>
          <Button type="submit" variant="secondary">
            Add environment
          </Button>
        </form>
      ) : null}
      {message ? <Alert>{message}</Alert> : null}
    </div>
  );
}
