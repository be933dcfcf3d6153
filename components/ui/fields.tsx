"use client";
// Form fields that show their error beside the field and wire it up for screen readers.
import { useId, type ComponentProps, type ReactNode } from "react";

type FieldShell = { label: string; error?: string; hint?: ReactNode };

const INPUT =
  "block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600";

function Shell({ id, label, error, hint, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, error, hint, className, ...props }: FieldShell & ComponentProps<"input">) {
  const id = useId();
  return (
    <Shell id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`${INPUT} ${error ? "ring-red-400" : "ring-slate-300"} ${className ?? ""}`}
      />
    </Shell>
  );
}

export function SelectField({ label, error, hint, children, ...props }: FieldShell & ComponentProps<"select">) {
  const id = useId();
  return (
    <Shell id={id} label={label} error={error} hint={hint}>
      <select
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`${INPUT} bg-white ${error ? "ring-red-400" : "ring-slate-300"}`}
      >
        {children}
      </select>
    </Shell>
  );
}

/** Splits "a, b\nc" into ["a","b","c"]: how people paste lists of hostnames or countries. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}
