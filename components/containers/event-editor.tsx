"use client";
// The mapping editor: for one event in this container, which triggers fire it, which
// variable fills each parameter and user-data field (required ones that are missing are
// flagged), and any platform-name overrides for this site.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Badge } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { useApiForm } from "../ui/use-api-form";
import { CommonFields, EditorFrame, type Common } from "./common-fields";
import type { EntityBase, Owner } from "./entity-list";
import { errorAt } from "../sites/region-fields";
import { PLATFORMS, STANDARD_PARAMETERS, USER_DATA_FIELDS } from "@/lib/schemas/config";

export type PlanEventChoice = { id: string; name: string; parameters: { name: string; type: string; required: boolean }[]; platformNames: Record<string, string> };
export type EventRow = EntityBase & {
  planEventId: string;
  definition: { triggerIds: string[]; mappings: Record<string, string>; platformNames: Record<string, string>; enabled: boolean };
};

export function parameterRows(plan: PlanEventChoice | undefined) {
  const own = plan?.parameters ?? [];
  const names = new Set(own.map((p) => p.name));
  return [
    ...own.map((p) => ({ key: p.name, label: p.name, type: p.type, required: p.required })),
    ...STANDARD_PARAMETERS.filter((p) => !names.has(p)).map((p) => ({ key: p, label: p, type: "", required: false })),
    ...USER_DATA_FIELDS.map((u) => ({ key: `user_data.${u}`, label: `user data: ${u}`, type: "hashed", required: false })),
  ];
}

export function missingRequired(plan: PlanEventChoice | undefined, mappings: Record<string, string>): string[] {
  return (plan?.parameters ?? []).filter((p) => p.required && !mappings[p.name]).map((p) => p.name);
}

export function EventEditor({
  containerId,
  event,
  plans,
  usedPlanIds,
  triggers,
  variables,
  owners,
  onClose,
}: {
  containerId: string;
  event: EventRow | null;
  plans: PlanEventChoice[];
  usedPlanIds: string[];
  triggers: { id: string; name: string }[];
  variables: { id: string; name: string }[];
  owners: Owner[];
  onClose: () => void;
}) {
  const router = useRouter();
  const form = useApiForm();
  const d = event?.definition;
  const [common, setCommon] = useState<Common>({ name: "", description: event?.description ?? "", ownerId: event?.ownerId ?? "" });
  const available = plans.filter((p) => p.id === event?.planEventId || !usedPlanIds.includes(p.id));
  const [planEventId, setPlanEventId] = useState(event?.planEventId ?? available[0]?.id ?? "");
  const [triggerIds, setTriggerIds] = useState<string[]>(d?.triggerIds ?? []);
  const [mappings, setMappings] = useState<Record<string, string>>(d?.mappings ?? {});
  const [names, setNames] = useState<Record<string, string>>(d?.platformNames ?? {});
  const [enabled, setEnabled] = useState(d?.enabled ?? true);
  const plan = plans.find((p) => p.id === planEventId);
  const missing = missingRequired(plan, mappings);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const cleanNames = Object.fromEntries(Object.entries(names).filter(([, v]) => v.trim() !== ""));
    const cleanMappings = Object.fromEntries(Object.entries(mappings).filter(([, v]) => v));
    const body = { description: common.description, ownerId: common.ownerId || null, triggerIds, mappings: cleanMappings, platformNames: cleanNames, enabled };
    const saved = await form.run(() =>
      event ? api("PATCH", `/events/${event.id}`, { ...body, revision: event.revision }) : api("POST", `/containers/${containerId}/events`, { ...body, planEventId }),
    );
    if (saved) {
      onClose();
      router.refresh();
    }
  }

  return (
    <EditorFrame title={event ? `Edit event ${event.name}` : "Add an event"} onSubmit={submit} onCancel={onClose} pending={form.pending} message={form.message} conflict={form.conflict} submitLabel={event ? "Save event" : "Add event"}>
      {event ? null : (
        <SelectField label="Event from the tracking plan" value={planEventId} onChange={(e) => setPlanEventId(e.target.value)} error={form.fields.planEventId}>
          {available.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      )}
      <CommonFields value={common} onChange={setCommon} owners={owners} fields={form.fields} hideName />
      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Fired by</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {triggers.length === 0 ? <span className="text-sm text-slate-500">No triggers yet: add them on the Triggers tab (server-side events need none).</span> : null}
          {triggers.map((t) => (
            <label key={t.id} className="inline-flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={triggerIds.includes(t.id)} onChange={(e) => setTriggerIds(e.target.checked ? [...triggerIds, t.id] : triggerIds.filter((x) => x !== t.id))} />
              {t.name}
            </label>
          ))}
        </div>
        {errorAt(form.fields, "triggerIds") ? <p className="text-sm text-red-700">{errorAt(form.fields, "triggerIds")}</p> : null}
      </fieldset>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Parameter mapping</legend>
        <p className="mb-2 text-xs text-slate-500">
          {missing.length ? (
            <span className="text-red-700">Missing required: {missing.join(", ")}</span>
          ) : (
            <span className="text-emerald-700">Every required parameter is mapped.</span>
          )}{" "}
          User data is normalized and SHA-256 hashed before it is stored or sent.
        </p>
        <table className="min-w-full text-sm" aria-label="Parameter mapping">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-1 pr-3">Parameter</th>
              <th className="py-1 pr-3">Variable</th>
              <th className="py-1">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {parameterRows(plan).map((row) => {
              const id = `map-${row.key}`;
              const mapped = !!mappings[row.key];
              return (
                <tr key={row.key}>
                  <td className="py-1 pr-3">
                    <label htmlFor={id} className="font-mono text-xs">
                      {row.label}
                    </label>
                    {row.type ? <span className="ml-1 text-xs text-slate-400">{row.type}</span> : null}
                  </td>
                  <td className="py-1 pr-3">
                    <select id={id} value={mappings[row.key] ?? ""} onChange={(e) => setMappings({ ...mappings, [row.key]: e.target.value })} className="w-56 rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300">
                      <option value="">— not mapped —</option>
                      {variables.map((v) => (
                        <option key={v.id} value={v.id}>
                          {v.name}
                        </option>
                      ))}
                    </select>
                    {errorAt(form.fields, `mappings.${row.key}`) ? <p className="text-xs text-red-700">{errorAt(form.fields, `mappings.${row.key}`)}</p> : null}
                  </td>
                  <td className="py-1">{mapped ? <Badge tone="green">mapped</Badge> : row.required ? <Badge tone="red">required, missing</Badge> : <Badge>optional</Badge>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Name at each platform for this site</legend>
        <div className="mt-1 grid grid-cols-1 gap-3 sm:grid-cols-4">
          {PLATFORMS.map((p) => (
            <TextField key={p} label={p} value={names[p] ?? ""} onChange={(e) => setNames({ ...names, [p]: e.target.value })} placeholder={plan?.platformNames[p] ?? "—"} hint="Blank: the plan's name" error={errorAt(form.fields, `platformNames.${p}`)} />
          ))}
        </div>
      </fieldset>
      <label className="inline-flex items-center gap-1.5 text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
    </EditorFrame>
  );
}
