"use client";
// The environments of a site's container: their public keys and script URLs, adding a
// custom one, rotating a key, deleting a non-production one.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button, formatDate } from "../ui/primitives";
import { CopyField } from "../ui/copy-field";
import { TextField } from "../ui/fields";
import { ConfirmButton } from "../ui/confirm-button";

type Environment = { id: string; name: string; kind: string; publicKey: string; scriptHash?: string | null; integrity?: string | null };

function Install({ env, origin }: { env: Environment; origin: string }) {
  const [preview, setPreview] = useState<{ url: string; expiresAt: string; opens: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const snippet = `<script async src="${origin}/c/${env.publicKey}.js"></script>`;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-indigo-700">Install and preview</summary>
      <div className="mt-2 space-y-2">
        <CopyField label={`Snippet for ${env.name} (in the storefront's <head>; add nonce="…" when your CSP uses nonces)`} value={snippet} />
        {env.scriptHash ? (
          <>
            <CopyField
              label={`Pinned snippet for ${env.name}, the version live now (immutable, with Subresource Integrity)`}
              value={`<script async src="${origin}/c/${env.publicKey}.${env.scriptHash}.js"${env.integrity ? ` integrity="${env.integrity}"` : ""} crossorigin="anonymous"></script>`}
            />
          </>
        ) : (
          <p className="text-xs text-amber-800">Nothing is published here yet: the script answers 404 until you publish a version.</p>
        )}
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            const r = await api<{ url: string | null; token: string; expiresAt: string }>("POST", `/environments/${env.id}/preview`);
            if (r.ok) setPreview({ url: r.data.url ?? `?tagpipe_preview=${r.data.token}`, expiresAt: r.data.expiresAt, opens: r.data.url !== null });
            else setError(r.message);
          }}
        >
          Create preview link
        </Button>
        {preview ? (
          <div className="space-y-1 rounded-md border border-emerald-300 bg-emerald-50 p-2">
            <CopyField label={`Preview link for ${env.name}`} hideLabel value={preview.url} tone="green" />
            <p className="flex flex-wrap items-center gap-2 text-xs text-emerald-900">
              Expires {formatDate(preview.expiresAt)}.
              {preview.opens ? (
                <a href={preview.url} target="_blank" rel="noopener noreferrer" className="font-medium text-indigo-700 underline">
                  Open the storefront with this preview<span className="sr-only"> (new tab)</span>
                </a>
              ) : (
                "Add it to any storefront address (the site has no hostname to open)."
              )}
            </p>
          </div>
        ) : null}
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
            <div className="min-w-0 flex-1">
              <p className="flex items-center gap-2 font-medium">
                {env.name} <Badge tone={TONE[env.kind]}>{env.kind}</Badge>
              </p>
              <div className="mt-1">
                <CopyField label={`Container script URL of ${env.name}`} hideLabel value={`${origin}/c/${env.publicKey}.js`} />
              </div>
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
