"use client";
// The mapping editor: for one event in this container, which triggers fire it, which
// variable fills each parameter and user-data field (required ones that are missing are
// flagged), and any platform-name overrides for this site.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Badge, Button } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { useApiForm } from "../ui/use-api-form";
import { CommonFields, EditorFrame, type Common } from "./common-fields";
import type { EntityBase, Owner } from "./entity-list";
import { errorAt } from "../sites/region-fields";
import { PLATFORMS, STANDARD_PARAMETERS, USER_DATA_FIELDS } from "@/lib/schemas/config";
import { ga4EcommerceMappings, parameterType, typedVariables, type ValueType } from "@/lib/config/builtins";
import { CreateVariableDialog, MappingSelect, fitWarning, type TypedVariable } from "./variable-choice";

export type PlanEventChoice = { id: string; name: string; parameters: { name: string; type: string; required: boolean }[]; platformNames: Record<string, string> };
export type EventRow = EntityBase & {
  planEventId: string;
  definition: { triggerIds: string[]; mappings: Record<string, string>; platformNames: Record<string, string>; enabled: boolean };
};

export function parameterRows(plan: PlanEventChoice | undefined): { key: string; label: string; type: ValueType | null; required: boolean }[] {
  const own = plan?.parameters ?? [];
  const names = new Set(own.map((p) => p.name));
  return [
    ...own.map((p) => ({ key: p.name, label: p.name, type: parameterType(p.name, p.type), required: p.required })),
    ...STANDARD_PARAMETERS.filter((p) => !names.has(p)).map((p) => ({ key: p, label: p, type: parameterType(p), required: false })),
    ...USER_DATA_FIELDS.map((u) => ({ key: `user_data.${u}`, label: `user data: ${u}`, type: parameterType(`user_data.${u}`), required: false })),
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
  variables: TypedVariable[];
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
  // Variables created from a dropdown here, shown before the page's data catches up.
  const [created, setCreated] = useState<TypedVariable[]>([]);
  const choices = [...variables, ...created.filter((c) => !variables.some((v) => v.id === c.id))];
  const [creatingFor, setCreatingFor] = useState<{ key: string; type: ValueType | null } | null>(null);
  const rows = parameterRows(plan);
  const fromGa4 = ga4EcommerceMappings(rows.map((r) => r.key));
  const ga4Unmapped = Object.keys(fromGa4).filter((k) => !mappings[k]);
  const [ga4Note, setGa4Note] = useState<string | null>(null);

  function mapFromGa4() {
    setMappings({ ...mappings, ...Object.fromEntries(ga4Unmapped.map((k) => [k, fromGa4[k]])) });
    setGa4Note(`Mapped ${ga4Unmapped.length} field${ga4Unmapped.length === 1 ? "" : "s"} from the GA4 ecommerce data layer: ${ga4Unmapped.join(", ")}.`);
  }

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
              <input type="checkbox" data-field="triggerIds" checked={triggerIds.includes(t.id)} onChange={(e) => setTriggerIds(e.target.checked ? [...triggerIds, t.id] : triggerIds.filter((x) => x !== t.id))} />
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
        {Object.keys(fromGa4).length ? (
          <div className="mb-2 flex flex-wrap items-center gap-3">
            <Button type="button" variant="secondary" onClick={mapFromGa4} disabled={ga4Unmapped.length === 0}>
              Map from GA4 ecommerce
            </Button>
            <span className="text-xs text-slate-500" role="status">
              {ga4Note ?? (ga4Unmapped.length ? `Fills ${ga4Unmapped.join(", ")} from the built-in GA4 ecommerce variables (dataLayer.push({ event, ecommerce: {…} })).` : "Every GA4 ecommerce field is mapped.")}
            </span>
          </div>
        ) : null}
        <table className="min-w-full text-sm" aria-label="Parameter mapping">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th className="py-1 pr-3">Parameter</th>
              <th className="py-1 pr-3">Comes from</th>
              <th className="py-1">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => {
              const id = `map-${row.key}`;
              const mapped = !!mappings[row.key];
              const warning = fitWarning(mappings[row.key] ?? "", row.type, choices, row.key);
              const error = errorAt(form.fields, `mappings.${row.key}`);
              return (
                <tr key={row.key}>
                  <td className="py-1 pr-3">
                    <label htmlFor={id} className="font-mono text-xs">
                      {row.label}
                    </label>
                    {row.type ? <span className="ml-1 text-xs text-slate-400">{row.key.startsWith("user_data.") ? "hashed" : row.type}</span> : null}
                  </td>
                  <td className="py-1 pr-3">
                    <MappingSelect
                      id={id}
                      target={row.key}
                      targetType={row.type}
                      value={mappings[row.key] ?? ""}
                      onChange={(ref) => setMappings({ ...mappings, [row.key]: ref })}
                      onCreate={() => setCreatingFor({ key: row.key, type: row.type })}
                      variables={choices}
                      describedBy={error || warning ? `${id}-note` : undefined}
                    />
                    {error ? (
                      <p id={`${id}-note`} className="text-xs text-red-700">
                        {error}
                      </p>
                    ) : warning ? (
                      <p id={`${id}-note`} className="text-xs text-amber-800">
                        {warning}
                      </p>
                    ) : null}
                  </td>
                  <td className="py-1">{mapped ? warning ? <Badge tone="amber">type mismatch</Badge> : <Badge tone="green">mapped</Badge> : row.required ? <Badge tone="red">required, missing</Badge> : <Badge>optional</Badge>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {creatingFor ? (
          <CreateVariableDialog
            containerId={containerId}
            variables={choices}
            owners={owners}
            forTarget={creatingFor.key}
            targetType={creatingFor.type}
            onClose={() => setCreatingFor(null)}
            onCreated={(v) => {
              setCreated([...created, ...typedVariables([v])]);
              setMappings((m) => ({ ...m, [creatingFor.key]: v.id }));
            }}
          />
        ) : null}
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
