"use client";
import { EntityList, type Owner } from "./entity-list";
import { TRIGGER_TYPE_LABELS, TriggerEditor, describeCondition, type TriggerRow } from "./trigger-editor";
import { Badge } from "../ui/primitives";
import { builtinOf } from "@/lib/config/builtins";

export function TriggersManager({ initialField, initialEditing, containerId, triggers, variables, regions, owners, canWrite }: { containerId: string; triggers: TriggerRow[]; variables: { id: string; name: string }[]; regions: string[]; owners: Owner[]; canWrite: boolean; initialEditing?: string; initialField?: string }) {
  const variableName = (id: string) => variables.find((v) => v.id === id)?.name ?? builtinOf(id)?.label ?? "missing variable";
  const triggerName = (id: string) => triggers.find((t) => t.id === id)?.name ?? "missing trigger";
  return (
    <EntityList
      initialEditing={initialEditing}
      initialField={initialField}
      noun="trigger"
      items={triggers}
      owners={owners}
      canWrite={canWrite}
      deletePath={(t) => `/triggers/${t.id}`}
      emptyText="A trigger says when a conversion fires: a data-layer event, a page view, a click, a form submit, with conditions."
      summary={(t) => (
        <div className="space-y-1">
          <p>
            <Badge tone="indigo">{TRIGGER_TYPE_LABELS[t.definition.type]}</Badge>{" "}
            {t.definition.eventName ? <span className="font-mono text-xs">event = {t.definition.eventName}</span> : null}
            {t.definition.selector ? <span className="font-mono text-xs">selector {t.definition.selector}</span> : null}
            <span className="ml-2 text-xs text-slate-500">{t.definition.fireLimit.replaceAll("_", " ")}</span>
          </p>
          {t.definition.conditions.length ? (
            <ul className="list-inside list-disc text-xs text-slate-600">
              {t.definition.conditions.map((c, i) => (
                <li key={i} className="font-mono">
                  {describeCondition(c, variableName)}
                </li>
              ))}
            </ul>
          ) : null}
          {t.definition.blockingTriggerIds.length ? <p className="text-xs text-slate-600">Blocked by: {t.definition.blockingTriggerIds.map(triggerName).join(", ")}</p> : null}
        </div>
      )}
      editor={(t, close) => <TriggerEditor containerId={containerId} trigger={t} triggers={triggers} variables={variables} regions={regions} owners={owners} onClose={close} />}
    />
  );
}
