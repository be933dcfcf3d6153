"use client";
// The environments of a site's container: their public keys and script URLs, adding a
// custom one, rotating a key, deleting a non-production one.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";
import { ConfirmButton } from "../ui/confirm-button";

type Environment = { id: string; name: string; kind: string; publicKey: string };

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
