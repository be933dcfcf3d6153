"use client";
// Name, description and owner: the fields every draft entity has.
import { SelectField, TextField } from "../ui/fields";
import { Alert, Button } from "../ui/primitives";
import type { FieldErrors } from "../ui/api";
import type { Owner } from "./entity-list";
import type { FormEvent, ReactNode } from "react";

export type Common = { name: string; description: string; ownerId: string };

export function CommonFields({ value, onChange, owners, fields, hideName }: { value: Common; onChange: (v: Common) => void; owners: Owner[]; fields: FieldErrors; hideName?: boolean }) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
      {hideName ? null : <TextField label="Name" value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} error={fields.name} data-field="name" />}
      <div className={hideName ? "sm:col-span-2" : ""}>
        <TextField label="Description" value={value.description} onChange={(e) => onChange({ ...value, description: e.target.value })} error={fields.description} data-field="description" hint="What it is for, so others know" />
      </div>
      <SelectField label="Owner" value={value.ownerId} onChange={(e) => onChange({ ...value, ownerId: e.target.value })} error={fields.ownerId} data-field="ownerId" hint="The member to ask about it">
        <option value="">Nobody yet</option>
        {owners.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.email})
          </option>
        ))}
      </SelectField>
    </div>
  );
}

export function commonPayload(v: Common) {
  return { name: v.name, description: v.description, ownerId: v.ownerId || null };
}

/** The frame of every entity editor: a titled form with its messages and buttons. */
export function EditorFrame({
  title,
  onSubmit,
  onCancel,
  pending,
  message,
  conflict,
  children,
  submitLabel,
}: {
  title: string;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
  pending: boolean;
  message: string | null;
  conflict: boolean;
  children: ReactNode;
  submitLabel: string;
}) {
  return (
    <form onSubmit={onSubmit} noValidate aria-label={title} className="space-y-4 rounded-lg border border-indigo-200 bg-white p-4 shadow-sm">
      <h3 className="text-base font-semibold">{title}</h3>
      {message ? (
        <Alert tone={conflict ? "amber" : "red"}>
          {message}
          {conflict ? (
            <button type="button" className="ml-2 font-medium underline" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : null}
        </Alert>
      ) : null}
      {children}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
