"use client";
// The editor of one tracking-plan event: name, description, owner, its parameters (one
// row each, added and removed in place) and its name at each platform. Every API error
// lands beside its field (parameters.1.name under the second parameter's name).
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Button } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { useApiForm } from "../ui/use-api-form";
import { EditorFrame } from "../containers/common-fields";
import { PARAMETER_TYPES, type PlanParameter } from "@/lib/schemas/config";
import { PLATFORM_LABELS, PLATFORMS } from "./platforms";

export type Owner = { id: string; name: string; email: string };
export type PlanEventRow = {
  id: string;
  name: string;
  description: string;
  ownerId: string | null;
  revision: number;
  parameters: PlanParameter[];
  platformNames: Record<string, string>;
  usedBy: number;
};

type ParameterRow = PlanParameter & { key: number };

export function PlanEventForm({ event, owners, onClose }: { event: PlanEventRow | null; owners: Owner[]; onClose: () => void }) {
  const router = useRouter();
  const form = useApiForm();
  // Stable row keys, so removing a row keeps the others' focus and input state.
  const nextKey = useRef(event?.parameters.length ?? 0);
  const [name, setName] = useState(event?.name ?? "");
  const [description, setDescription] = useState(event?.description ?? "");
  const [ownerId, setOwnerId] = useState(event?.ownerId ?? "");
  const [parameters, setParameters] = useState<ParameterRow[]>(() => (event?.parameters ?? []).map((p, i) => ({ ...p, key: i })));
  const [names, setNames] = useState<Record<string, string>>(event?.platformNames ?? {});
  const f = form.fields;

  function setParameter(index: number, patch: Partial<PlanParameter>) {
    setParameters(parameters.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      name,
      description,
      ownerId: ownerId || null,
      parameters: parameters.map(({ name: n, type, required }) => ({ name: n, type, required })),
      // A blank platform name means "not sent to that platform under a name of its own".
      platformNames: Object.fromEntries(Object.entries(names).filter(([, v]) => v.trim() !== "")),
    };
    const saved = await form.run(() => (event ? api("PATCH", `/plan/events/${event.id}`, { ...body, revision: event.revision }) : api("POST", "/plan/events", body)));
    if (saved) {
      onClose();
      router.refresh();
    }
  }

  return (
    <EditorFrame
      title={event ? `Edit plan event ${event.name}` : "New plan event"}
      onSubmit={submit}
      onCancel={onClose}
      pending={form.pending}
      message={form.message}
      conflict={form.conflict}
      submitLabel={event ? "Save event" : "Add to the plan"}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <TextField label="Event name" autoFocus value={name} onChange={(e) => setName(e.target.value)} error={f.name} data-field="name" hint="snake_case, e.g. purchase or request_quote" />
        <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={f.description} data-field="description" hint="When it happens, in a sentence" />
        <SelectField label="Owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} error={f.ownerId} data-field="ownerId" hint="The member to ask about it">
          <option value="">Nobody yet</option>
          {owners.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({o.email})
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-800">Parameters</legend>
        {parameters.length === 0 ? <p className="text-sm text-slate-500">No parameters: the event is sent on its own (like sign_up).</p> : null}
        {f.parameters ? <p className="text-sm text-red-700">{f.parameters}</p> : null}
        <ol className="space-y-2">
          {parameters.map((p, i) => (
            <li key={p.key} className="grid grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto_auto] items-start gap-3">
              <TextField label={`Parameter ${i + 1}`} value={p.name} onChange={(e) => setParameter(i, { name: e.target.value })} error={f[`parameters.${i}.name`]} data-field={`parameters.${i}.name`} placeholder="e.g. value" />
              <SelectField label="Type" aria-label={`Type of parameter ${i + 1}`} value={p.type} onChange={(e) => setParameter(i, { type: e.target.value as PlanParameter["type"] })} error={f[`parameters.${i}.type`]}>
                {PARAMETER_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </SelectField>
              <label className="mt-7 inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={p.required} onChange={(e) => setParameter(i, { required: e.target.checked })} aria-label={`Parameter ${i + 1} is required`} />
                Required
              </label>
              <Button type="button" variant="ghost" className="mt-6" onClick={() => setParameters(parameters.filter((_, j) => j !== i))} aria-label={`Remove parameter ${i + 1}`}>
                Remove
              </Button>
            </li>
          ))}
        </ol>
        <Button type="button" variant="secondary" onClick={() => setParameters([...parameters, { name: "", type: "string", required: false, key: nextKey.current++ }])}>
          Add parameter
        </Button>
      </fieldset>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Name at each platform</legend>
        <p className="mb-2 text-xs text-slate-500">Leave a platform blank if the event is not sent there. Sites may override these names in their container.</p>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-4">
          {PLATFORMS.map((p) => (
            <TextField key={p} label={PLATFORM_LABELS[p]} value={names[p] ?? ""} onChange={(e) => setNames({ ...names, [p]: e.target.value })} error={f[`platformNames.${p}`]} data-field={`platformNames.${p}`} />
          ))}
        </div>
      </fieldset>
    </EditorFrame>
  );
}
