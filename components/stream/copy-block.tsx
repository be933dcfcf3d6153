"use client";
// A block of code to copy: shown whole (never cut off), with a Copy button that says
// when it worked.
import { useState } from "react";
import { Button } from "../ui/primitives";

export function CopyBlock({ label, code, id }: { label: string; code: string; id: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p id={`${id}-label`} className="text-sm font-medium text-slate-800">
          {label}
        </p>
        <span className="flex items-center gap-2">
          <span role="status" className="text-xs text-slate-600">
            {copied === "yes" ? "Copied" : copied === "failed" ? "Copy failed: select the text and copy it" : ""}
          </span>
          <Button
            type="button"
            variant="secondary"
            aria-label={`Copy ${label}`}
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(code);
                setCopied("yes");
              } catch {
                setCopied("failed");
              }
            }}
          >
            Copy
          </Button>
        </span>
      </div>
      <pre aria-labelledby={`${id}-label`} tabIndex={0} className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800">
        {code}
      </pre>
    </div>
  );
}
