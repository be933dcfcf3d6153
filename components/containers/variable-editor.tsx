"use client";
// Where a value comes from: data layer path, URL query, cookie, DOM, constant, lookup
// table; with type coercion and a default.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Button } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { useApiForm } from "../ui/use-api-form";
import { CommonFields, EditorFrame, commonPayload, type Common } from "./common-fields";
import type { EntityBase, Owner } from "./entity-list";
import { errorAt } from "../sites/region-fields";
import { variableDefinition } from "@/lib/schemas/config";

type Definition = {
  kind: string;
  path?: string;
  key?: string;
  selector?: string;
  attribute?: string | null;
  value?: string;
  inputVariableId?: string;
  entries?: { key: string; value: string }[];
  coerce: string;
  defaultValue: string | null;
};
export type VariableRow = EntityBase & { definition: Definition };

export const KIND_LABELS: Record<string, string> = {
  data_layer: "Data layer path",
  url_query: "URL query parameter",
  cookie: "Cookie",
  dom: "Page element",
  constant: "Constant",
  lookup: "Lookup table",
};

export function describeVariable(d: Definition, variableName: (id: string) => string): string {
  switch (d.kind) {
    case "data_layer":
      return `dataLayer → ${d.path}`;
    case "url_query":
      return `?${d.key}=…`;
    case "cookie":
      return `cookie ${d.key}`;
    case "dom":
      return `${d.selector}${d.attribute ? ` [${d.attribute}]` : " (text)"}`;
    case "constant":
      return `"${d.value}"`;
    default:
      return `lookup of ${variableName(d.inputVariableId ?? "")} (${d.entries?.length ?? 0} rows)`;
  }
}

/** Said as you type: a data-layer path the schema would refuse (the same rule, lib/schemas/config.ts). */
function livePathProblem(path: string): string | undefined {
  if (!path.trim()) return undefined;
  const r = variableDefinition.safeParse({ kind: "data_layer", path });
  return r.success ? undefined : r.error.issues.find((i) => i.path[0] === "path")?.message.replace(/^must/, "Must");
}

export function VariableEditor({
  containerId,
  variable,
  variables,
  owners,
  onClose,
  onSaved,
  initial,
}: {
  containerId: string;
  variable: VariableRow | null;
  variables: { id: string; name: string }[];
  owners: Owner[];
  onClose: () => void;
  /** Called with the saved variable (the mapping dropdown selects a variable created from it). */
  onSaved?: (saved: VariableRow) => void;
  /** A new variable's starting definition (e.g. Number for a number parameter). */
  initial?: Partial<Definition>;
}) {
  const router = useRouter();
  const form = useApiForm();
  const d = variable?.definition ?? initial;
  const [common, setCommon] = useState<Common>({ name: variable?.name ?? "", description: variable?.description ?? "", ownerId: variable?.ownerId ?? "" });
  const [kind, setKind] = useState(d?.kind ?? "data_layer");
  const [path, setPath] = useState(d?.path ?? "");
  const [key, setKey] = useState(d?.key ?? "");
  const [selector, setSelector] = useState(d?.selector ?? "");
  const [attribute, setAttribute] = useState(d?.attribute ?? "");
  const [value, setValue] = useState(d?.value ?? "");
  const [input, setInput] = useState(d?.inputVariableId ?? "");
  const [entries, setEntries] = useState(d?.entries ?? [{ key: "", value: "" }]);
  const [coerce, setCoerce] = useState(d?.coerce ?? "auto");
  const [defaultValue, setDefaultValue] = useState(d?.defaultValue ?? "");
  const f = (p: string) => errorAt(form.fields, `definition.${p}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const definition = {
      kind,
      ...(kind === "data_layer" ? { path } : {}),
      ...(kind === "url_query" || kind === "cookie" ? { key } : {}),
      ...(kind === "dom" ? { selector, attribute: attribute || null } : {}),
      ...(kind === "constant" ? { value } : {}),
      ...(kind === "lookup" ? { inputVariableId: input || undefined, entries: entries.filter((e) => e.key !== "" || e.value !== "") } : {}),
      coerce,
      defaultValue: defaultValue === "" ? null : defaultValue,
    };
    const body = { ...commonPayload(common), definition };
    const saved = await form.run(() =>
      variable ? api<VariableRow>("PATCH", `/variables/${variable.id}`, { ...body, revision: variable.revision }) : api<VariableRow>("POST", `/containers/${containerId}/variables`, body),
    );
    if (saved) {
      onSaved?.(saved);
      onClose();
      router.refresh();
    }
  }

  return (
    <EditorFrame title={variable ? `Edit variable ${variable.name}` : "New variable"} onSubmit={submit} onCancel={onClose} pending={form.pending} message={form.message} conflict={form.conflict} submitLabel={variable ? "Save variable" : "Create variable"}>
      <CommonFields value={common} onChange={setCommon} owners={owners} fields={form.fields} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField label="Source" value={kind} onChange={(e) => setKind(e.target.value)} error={f("kind")}>
          {Object.entries(KIND_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        {kind === "data_layer" ? <TextField label="Data layer path" value={path} onChange={(e) => setPath(e.target.value)} error={f("path") ?? livePathProblem(path)} data-field="path" placeholder="ecommerce.value" hint="GA4 shape: ecommerce.items[].item_id collects a list" /> : null}
        {kind === "url_query" ? <TextField label="Query parameter" value={key} onChange={(e) => setKey(e.target.value)} error={f("key")} data-field="key" placeholder="utm_source" /> : null}
        {kind === "cookie" ? <TextField label="Cookie name" value={key} onChange={(e) => setKey(e.target.value)} error={f("key")} data-field="key" placeholder="_fbp" /> : null}
        {kind === "dom" ? (
          <>
            <TextField label="CSS selector" value={selector} onChange={(e) => setSelector(e.target.value)} error={f("selector")} data-field="selector" placeholder="#order-total" />
            <TextField label="Attribute" value={attribute} onChange={(e) => setAttribute(e.target.value)} error={f("attribute")} hint="Blank reads the element's text" placeholder="data-value" />
          </>
        ) : null}
        {kind === "constant" ? <TextField label="Value" value={value} onChange={(e) => setValue(e.target.value)} error={f("value")} data-field="value" /> : null}
        {kind === "lookup" ? (
          <SelectField label="Input variable" value={input} onChange={(e) => setInput(e.target.value)} error={f("inputVariableId")} data-field="inputVariableId">
            <option value="">Choose…</option>
            {variables
              .filter((v) => v.id !== variable?.id)
              .map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
          </SelectField>
        ) : null}
      </div>
      {kind === "lookup" ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-800">Lookup table</legend>
          {f("entries") ? <p className="text-sm text-red-700">{f("entries")}</p> : null}
          {entries.map((e, i) => (
            <div key={i} className="flex items-end gap-2">
              <TextField label={`Row ${i + 1} when input is`} value={e.key} onChange={(ev) => setEntries(entries.map((x, j) => (j === i ? { ...x, key: ev.target.value } : x)))} />
              <TextField label={`Row ${i + 1} output`} value={e.value} onChange={(ev) => setEntries(entries.map((x, j) => (j === i ? { ...x, value: ev.target.value } : x)))} />
              <Button type="button" variant="ghost" onClick={() => setEntries(entries.filter((_, j) => j !== i))} aria-label={`Remove row ${i + 1}`}>
                Remove
              </Button>
            </div>
          ))}
          <Button type="button" variant="secondary" onClick={() => setEntries([...entries, { key: "", value: "" }])}>
            Add row
          </Button>
        </fieldset>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField label="Convert to" value={coerce} onChange={(e) => setCoerce(e.target.value)} error={f("coerce")}>
          <option value="auto">Keep as is</option>
          <option value="string">Text</option>
          <option value="number">Number</option>
          <option value="list">List</option>
        </SelectField>
        <TextField label="Default value" value={defaultValue} onChange={(e) => setDefaultValue(e.target.value)} error={f("defaultValue")} hint="Used when the source is empty" />
      </div>
    </EditorFrame>
  );
}
