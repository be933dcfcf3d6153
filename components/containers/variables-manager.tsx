"use client";
import { EntityList, type Owner } from "./entity-list";
import { KIND_LABELS, VariableEditor, describeVariable, type VariableRow } from "./variable-editor";
import { Badge } from "../ui/primitives";

export function VariablesManager({ initialField, initialEditing, containerId, variables, owners, canWrite }: { containerId: string; variables: VariableRow[]; owners: Owner[]; canWrite: boolean; initialEditing?: string; initialField?: string }) {
  const variableName = (id: string) => variables.find((v) => v.id === id)?.name ?? "missing variable";
  return (
    <EntityList
      initialEditing={initialEditing}
      initialField={initialField}
      noun="variable"
      items={variables}
      owners={owners}
      canWrite={canWrite}
      deletePath={(v) => `/variables/${v.id}`}
      emptyText="A variable reads a value — from the data layer, the URL, a cookie, the page — for events to map into parameters."
      summary={(v) => (
        <p>
          <Badge tone="indigo">{KIND_LABELS[v.definition.kind]}</Badge> <span className="font-mono text-xs">{describeVariable(v.definition, variableName)}</span>
          {v.definition.coerce !== "auto" ? <span className="ml-2 text-xs text-slate-500">as {v.definition.coerce}</span> : null}
          {v.definition.defaultValue !== null ? <span className="ml-2 text-xs text-slate-500">default &quot;{v.definition.defaultValue}&quot;</span> : null}
        </p>
      )}
      editor={(v, close) => <VariableEditor containerId={containerId} variable={v} variables={variables} owners={owners} onClose={close} />}
    />
  );
}
