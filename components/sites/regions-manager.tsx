"use client";
// The regions of a site: list, add, edit in place, delete.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button, EmptyState } from "../ui/primitives";
import { ConfirmButton } from "../ui/confirm-button";
import { EMPTY_REGION, RegionFields, regionPayload, regionValuesFrom, type RegionValues } from "./region-fields";

type Region = {
  id: string;
  code: string;
  name: string;
  countries: string[];
  rules: unknown;
  currency: string | null;
  consentDefault: "granted" | "denied";
};

function RegionEditor({ siteId, region, onClose }: { siteId: string; region?: Region; onClose: () => void }) {
  const router = useRouter();
  const [value, setValue] = useState<RegionValues>(region ? regionValuesFrom(region) : { ...EMPTY_REGION });
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    const result = region
      ? await api("PATCH", `/regions/${region.id}`, regionPayload(value))
      : await api("POST", `/sites/${siteId}/regions`, regionPayload(value));
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      setMessage(result.message);
      return;
    }
    onClose();
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-4" aria-label={region ? `Edit region ${region.code}` : "New region"}>
      {message ? <Alert>{message}</Alert> : null}
      <RegionFields value={value} onChange={setValue} fields={fields} prefix="" />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : region ? "Save region" : "Add region"}
        </Button>
        <Button type="button" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function describeRules(rules: unknown): string {
  if (!Array.isArray(rules) || rules.length === 0) return "";
  return (rules as { hostname?: string; pathPrefix?: string }[]).map((r) => `${r.hostname ?? "any host"}${r.pathPrefix ?? ""}`).join(", ");
}

export function RegionsManager({ siteId, regions, canWrite, siteCurrency }: { siteId: string; regions: Region[]; canWrite: boolean; siteCurrency: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | "new" | null>(null);
  return (
    <div className="space-y-3">
      {regions.length === 0 && editing !== "new" ? (
        <EmptyState title="No regions" action={canWrite ? <Button onClick={() => setEditing("new")}>Add region</Button> : null}>
          Without regions, every visitor gets the site&apos;s currency and consent is granted by default.
        </EmptyState>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {regions.map((r) =>
          editing === r.id ? (
            <li key={r.id} className="py-3">
              <RegionEditor siteId={siteId} region={r} onClose={() => setEditing(null)} />
            </li>
          ) : (
            <li key={r.id} className="flex flex-wrap items-start justify-between gap-3 py-3">
              <div className="min-w-0">
                <p className="font-medium">
                  <span className="font-mono text-sm">{r.code}</span> · {r.name}
                </p>
                <p className="mt-0.5 text-sm text-slate-600">
                  {r.countries.length ? r.countries.join(", ") : "No countries"}
                  {describeRules(r.rules) ? ` · rules: ${describeRules(r.rules)}` : ""}
                </p>
                <div className="mt-1 flex gap-2">
                  <Badge>{r.currency ?? `${siteCurrency} (site)`}</Badge>
                  <Badge tone={r.consentDefault === "denied" ? "amber" : "green"}>consent {r.consentDefault} by default</Badge>
                </div>
              </div>
              {canWrite ? (
                <div className="flex gap-2">
                  <Button variant="secondary" onClick={() => setEditing(r.id)} aria-label={`Edit region ${r.code}`}>
                    Edit
                  </Button>
                  <ConfirmButton label="Delete" confirmLabel={`Delete ${r.code}`} action={() => api("DELETE", `/regions/${r.id}`)} onDone={() => router.refresh()} />
                </div>
              ) : null}
            </li>
          ),
        )}
      </ul>
      {editing === "new" ? <RegionEditor siteId={siteId} onClose={() => setEditing(null)} /> : null}
      {canWrite && editing !== "new" && regions.length > 0 ? (
        <Button variant="secondary" onClick={() => setEditing("new")}>
          Add region
        </Button>
      ) : null}
    </div>
  );
}
