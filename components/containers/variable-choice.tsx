"use client";
// Choosing where a value comes from without a dead end: the team's variables and the
// built-ins (lib/config/builtins.ts) in one dropdown, ordered by how their type fits the
// parameter (a mismatch is offered last and flagged beside the field), and "Create a
// variable…" from inside the dropdown, in a dialog; the new variable is selected on save.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { BUILTINS, BUILTIN_GROUPS, builtinOf, builtinRef, mappingChoices, type Choice, type ValueType } from "@/lib/config/builtins";
import { VariableEditor, type VariableRow } from "./variable-editor";
import type { Owner } from "./entity-list";

export type TypedVariable = { id: string; name: string; type: ValueType | null };

const CREATE = "__create__";
const TYPE_WORDS: Record<ValueType, string> = { number: "a number", string: "text", list: "a list", boolean: "true/false", object: "an object" };

function optionLabel(c: Choice, targetType: ValueType | null): string {
  const source = c.group === "Your variables" ? "" : ` · built-in`;
  const note = c.fit === "mismatch" && c.type && targetType ? ` — ${TYPE_WORDS[c.type]}, not ${TYPE_WORDS[targetType]}` : c.fit === "converts" ? " — sent as text" : "";
  return `${c.label}${source}${note}`;
}

/** Words for a chosen reference whose type does not fit, or null. */
export function fitWarning(ref: string, targetType: ValueType | null, variables: TypedVariable[], targetLabel: string): string | null {
  if (!ref || !targetType) return null;
  const c = mappingChoices(targetLabel, targetType, variables).find((x) => x.ref === ref);
  if (!c || c.fit !== "mismatch" || !c.type) return null;
  return `${c.label} is ${TYPE_WORDS[c.type]}: ${targetLabel} needs ${TYPE_WORDS[targetType]}, so events would be flagged invalid.`;
}

/** A mapping's dropdown for one parameter (or user_data field). */
export function MappingSelect({
  id,
  target,
  targetType,
  value,
  onChange,
  onCreate,
  variables,
  describedBy,
}: {
  id: string;
  target: string;
  targetType: ValueType | null;
  value: string;
  onChange: (ref: string) => void;
  /** "Create a variable…" was chosen. */
  onCreate: () => void;
  variables: TypedVariable[];
  describedBy?: string;
}) {
  const choices = mappingChoices(target, targetType, variables);
  const fitting = choices.filter((c) => c.fit !== "mismatch");
  const other = choices.filter((c) => c.fit === "mismatch");
  const known = !value || choices.some((c) => c.ref === value);
  return (
    <select
      id={id}
      data-field={`mappings.${target}`}
      value={value}
      aria-describedby={describedBy}
      onChange={(e) => (e.target.value === CREATE ? onCreate() : onChange(e.target.value))}
      className="w-80 max-w-full rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300"
    >
      <option value="">— not mapped —</option>
      {known ? null : <option value={value}>{builtinOf(value)?.label ?? "a variable that no longer exists"}</option>}
      <optgroup label={targetType ? `Fits ${TYPE_WORDS[targetType]}` : "Variables"}>
        {fitting.map((c) => (
          <option key={c.ref} value={c.ref} title={c.hint}>
            {optionLabel(c, targetType)}
          </option>
        ))}
      </optgroup>
      {other.length ? (
        <optgroup label="Other types (would be flagged)">
          {other.map((c) => (
            <option key={c.ref} value={c.ref} title={c.hint}>
              {optionLabel(c, targetType)}
            </option>
          ))}
        </optgroup>
      ) : null}
      <option value={CREATE}>＋ Create a variable…</option>
    </select>
  );
}

/** The options of a condition's variable dropdown: the team's variables, then the built-ins by group. */
export function ConditionVariableOptions({ variables }: { variables: { id: string; name: string }[] }) {
  return (
    <>
      {variables.length ? (
        <optgroup label="Your variables">
          {variables.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </optgroup>
      ) : null}
      {BUILTIN_GROUPS.map((g) => (
        <optgroup key={g} label={`Built-in: ${g}`}>
          {BUILTINS.filter((b) => b.group === g).map((b) => (
            <option key={b.key} value={builtinRef(b.key)} title={b.hint}>
              {b.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/**
 * A modal dialog over the page, outside the form it was opened from (a form cannot hold
 * another): Escape and Cancel close it, focus returns to where it was.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return createPortal(
    // Submit events of the dialog's form would bubble through React's tree to the form
    // that opened it: they stop here.
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onSubmit={(e) => e.stopPropagation()}
      className="m-auto w-[min(56rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {children}
    </dialog>,
    document.body,
  );
}

/** "Create a variable" from a mapping: the variable editor in a dialog, its type preset to the parameter's. */
export function CreateVariableDialog({
  containerId,
  variables,
  owners,
  forTarget,
  targetType,
  onClose,
  onCreated,
}: {
  containerId: string;
  variables: { id: string; name: string }[];
  owners: Owner[];
  forTarget: string;
  targetType: ValueType | null;
  onClose: () => void;
  onCreated: (v: VariableRow) => void;
}) {
  const [coerce] = useState(targetType === "number" || targetType === "string" || targetType === "list" ? targetType : "auto");
  return (
    <Dialog title={`Create a variable for ${forTarget}`} onClose={onClose}>
      <p className="px-4 pt-4 text-sm text-slate-600">
        A new variable for <span className="font-mono">{forTarget}</span>: it is selected when you create it.
      </p>
      <VariableEditor containerId={containerId} variable={null} variables={variables} owners={owners} onClose={onClose} onSaved={onCreated} initial={{ kind: "data_layer", coerce, defaultValue: null }} />
    </Dialog>
  );
}
