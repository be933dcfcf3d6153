"use client";
// A block of code to copy: shown whole (never cut off), with the shared Copy button.
import { CopyButton } from "./copy-button";

export function CopyBlock({ label, code, id }: { label: string; code: string; id: string }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p id={`${id}-label`} className="text-sm font-medium text-slate-800">
          {label}
        </p>
        <CopyButton text={code} label={label} />
      </div>
      <pre aria-labelledby={`${id}-label`} tabIndex={0} className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800">
        {code}
      </pre>
    </div>
  );
}
