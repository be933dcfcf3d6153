"use client";
// A firing rule: what starts it (data-layer event, page view, SPA route change, click,
// form submit), the condition builder, the fire limit and blocking triggers.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Button } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { useApiForm } from "../ui/use-api-form";
import { CommonFields, EditorFrame, commonPayload, type Common } from "./common-fields";
import type { EntityBase, Owner } from "./entity-list";
import { errorAt } from "../sites/region-fields";
import { ConditionVariableOptions } from "./variable-choice";
import { patternProblem } from "@/lib/schemas/field-rules";

export type TriggerRow = EntityBase & {
  definition: {
    type: string;
    eventName?: string;
    selector?: string;
    conditions: ConditionValue[];
    fireLimit: string;
    blockingTriggerIds: string[];
  };
};
type ConditionValue = { source: string; key?: string; operator: string; value: string; negate: boolean; ignoreCase: boolean };

export const TRIGGER_TYPE_LABELS: Record<string, string> = {
  data_layer_event: "Data layer event",
  page_view: "Page view",
  history_change: "SPA route change",
  click: "Click",
  form_submit: "Form submit",
};
const SOURCES: Record<string, string> = { page_url: "Page URL", page_path: "Page path", hostname: "Hostname", data_layer: "Data layer value", variable: "Variable", region: "Region" };
export const OPERATOR_LABELS: Record<string, string> = { equals: "equals", contains: "contains", starts_with: "starts with", ends_with: "ends with", regex: "matches regex", lt: "<", lte: "<=", gt: ">", gte: ">=" };
const LIMITS: Record<string, string> = { every_time: "Every time", once_per_page: "Once per page", once_per_event_id: "Once per event id" };

const EMPTY_CONDITION: ConditionValue = { source: "page_path", operator: "equals", value: "", negate: false, ignoreCase: false };

export function describeCondition(c: ConditionValue, variableName: (id: string) => string): string {
  const subject = c.source === "data_layer" ? `dataLayer.${c.key}` : c.source === "variable" ? `{{${variableName(c.key ?? "")}}}` : SOURCES[c.source].toLowerCase();
  return `${subject} ${c.negate ? "NOT " : ""}${OPERATOR_LABELS[c.operator]} "${c.value}"${c.ignoreCase ? " (any case)" : ""}`;
}

/** Said as you type, beside the value: a pattern that does not compile (the draft's problem list says the same). */
function livePatternProblem(c: ConditionValue): string | undefined {
  const problem = patternProblem(c);
  return problem ? problem.charAt(0).toUpperCase() + problem.slice(1) : undefined;
}

export function TriggerEditor({
  containerId,
  trigger,
  triggers,
  variables,
  regions,
  owners,
  onClose,
}: {
  containerId: string;
  trigger: TriggerRow | null;
  triggers: TriggerRow[];
  variables: { id: string; name: string }[];
  regions: string[];
  owners: Owner[];
  onClose: () => void;
}) {
  const router = useRouter();
  const form = useApiForm();
  const d = trigger?.definition;
  const [common, setCommon] = useState<Common>({ name: trigger?.name ?? "", description: trigger?.description ?? "", ownerId: trigger?.ownerId ?? "" });
  const [type, setType] = useState(d?.type ?? "data_layer_event");
  const [eventName, setEventName] = useState(d?.eventName ?? "");
  const [selector, setSelector] = useState(d?.selector ?? "");
  const [conditions, setConditions] = useState<ConditionValue[]>(d?.conditions ?? []);
  const [fireLimit, setFireLimit] = useState(d?.fireLimit ?? "every_time");
  const [blocking, setBlocking] = useState<string[]>(d?.blockingTriggerIds ?? []);
  const f = (path: string) => errorAt(form.fields, path);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const definition = {
      type,
      ...(type === "data_layer_event" ? { eventName } : {}),
      ...(type === "click" || type === "form_submit" ? { selector } : {}),
      conditions: conditions.map((c) => ({ ...c, key: c.source === "data_layer" || c.source === "variable" ? c.key : undefined })),
      fireLimit,
      blockingTriggerIds: blocking,
    };
    const body = { ...commonPayload(common), definition };
    const saved = await form.run(() =>
      trigger ? api("PATCH", `/triggers/${trigger.id}`, { ...body, revision: trigger.revision }) : api("POST", `/containers/${containerId}/triggers`, body),
    );
    if (saved) {
      onClose();
      router.refresh();
    }
  }

  const setCondition = (i: number, patch: Partial<ConditionValue>) => setConditions(conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  return (
    <EditorFrame title={trigger ? `Edit trigger ${trigger.name}` : "New trigger"} onSubmit={submit} onCancel={onClose} pending={form.pending} message={form.message} conflict={form.conflict} submitLabel={trigger ? "Save trigger" : "Create trigger"}>
      <CommonFields value={common} onChange={setCommon} owners={owners} fields={form.fields} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField label="Fires on" value={type} onChange={(e) => setType(e.target.value)} error={f("definition.type")}>
          {Object.entries(TRIGGER_TYPE_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        {type === "data_layer_event" ? (
          <TextField label="Data layer event name" value={eventName} onChange={(e) => setEventName(e.target.value)} error={f("definition.eventName")} data-field="eventName" placeholder="purchase" hint="The event key pushed: dataLayer.push({event: …})" />
        ) : null}
        {type === "click" || type === "form_submit" ? (
          <TextField label="CSS selector" value={selector} onChange={(e) => setSelector(e.target.value)} error={f("definition.selector")} data-field="selector" placeholder={type === "click" ? "button.add-to-cart" : "form#signup"} />
        ) : null}
        <SelectField label="Fire limit" value={fireLimit} onChange={(e) => setFireLimit(e.target.value)} error={f("definition.fireLimit")}>
          {Object.entries(LIMITS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-800">Conditions (all must hold)</legend>
        {conditions.length === 0 ? <p className="text-sm text-slate-500">No conditions: fires whenever the event above happens.</p> : null}
        {conditions.map((c, i) => (
          <div key={i} className="grid grid-cols-1 items-start gap-2 rounded-md bg-slate-50 p-3 sm:grid-cols-[10rem_12rem_10rem_1fr_auto]" role="group" aria-label={`Condition ${i + 1}`}>
            <SelectField label={`Condition ${i + 1} source`} value={c.source} onChange={(e) => setCondition(i, { source: e.target.value, key: undefined })} error={f(`definition.conditions.${i}.source`)} data-field={`conditions.${i}.source`}>
              {Object.entries(SOURCES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </SelectField>
            {c.source === "data_layer" ? (
              <TextField label={`Condition ${i + 1} path`} value={c.key ?? ""} onChange={(e) => setCondition(i, { key: e.target.value })} placeholder="ecommerce.value" error={f(`definition.conditions.${i}.key`)} data-field={`conditions.${i}.key`} />
            ) : c.source === "variable" ? (
              <SelectField label={`Condition ${i + 1} variable`} value={c.key ?? ""} onChange={(e) => setCondition(i, { key: e.target.value })} error={f(`definition.conditions.${i}.key`)} data-field={`conditions.${i}.key`}>
                <option value="">Choose…</option>
                <ConditionVariableOptions variables={variables} />
              </SelectField>
            ) : (
              <div className="hidden sm:block" />
            )}
            <SelectField label={`Condition ${i + 1} operator`} value={c.operator} onChange={(e) => setCondition(i, { operator: e.target.value })} error={f(`definition.conditions.${i}.operator`)} data-field={`conditions.${i}.operator`}>
              {Object.entries(OPERATOR_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </SelectField>
            <div className="space-y-1">
              {c.source === "region" ? (
                <SelectField label={`Condition ${i + 1} value`} value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} error={f(`definition.conditions.${i}.value`)} data-field={`conditions.${i}.value`}>
                  <option value="">Choose a region…</option>
                  {regions.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </SelectField>
              ) : (
                <TextField
                  label={`Condition ${i + 1} value`}
                  value={c.value}
                  onChange={(e) => {
                    form.clear(`definition.conditions.${i}.value`);
                    setCondition(i, { value: e.target.value });
                  }}
                  error={livePatternProblem(c) ?? f(`definition.conditions.${i}.value`)}
                  data-field={`conditions.${i}.value`}
                />
              )}
              <div className="flex gap-4 text-sm">
                <label className="inline-flex items-center gap-1.5">
                  <input type="checkbox" checked={c.negate} onChange={(e) => setCondition(i, { negate: e.target.checked })} /> Negate (NOT)
                </label>
                <label className="inline-flex items-center gap-1.5">
                  <input type="checkbox" checked={c.ignoreCase} onChange={(e) => setCondition(i, { ignoreCase: e.target.checked })} /> Ignore case
                </label>
              </div>
            </div>
            <Button type="button" variant="ghost" className="sm:mt-6" onClick={() => setConditions(conditions.filter((_, j) => j !== i))} aria-label={`Remove condition ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button type="button" variant="secondary" onClick={() => setConditions([...conditions, { ...EMPTY_CONDITION }])}>
          Add condition
        </Button>
      </fieldset>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-800">Blocking triggers</legend>
        <p className="text-xs text-slate-500">When one of these matches the same event, this trigger does not fire.</p>
        <div className="mt-1 flex flex-wrap gap-4">
          {triggers.filter((t) => t.id !== trigger?.id).length === 0 ? <span className="text-sm text-slate-500">No other triggers.</span> : null}
          {triggers
            .filter((t) => t.id !== trigger?.id)
            .map((t) => (
              <label key={t.id} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" data-field="blockingTriggerIds" checked={blocking.includes(t.id)} onChange={(e) => setBlocking(e.target.checked ? [...blocking, t.id] : blocking.filter((b) => b !== t.id))} />
                {t.name}
              </label>
            ))}
        </div>
        {f("definition.blockingTriggerIds") ? <p className="text-sm text-red-700">{f("definition.blockingTriggerIds")}</p> : null}
      </fieldset>
    </EditorFrame>
  );
}
