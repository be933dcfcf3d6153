"use client";
// Team settings → "Production needs approval": owners switch it; everyone else reads it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../ui/api";
import { Alert } from "../ui/primitives";

export function ApprovalSetting({ required, canChange }: { required: boolean; canChange: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Shown at once; put back if the server refuses.
  const [value, setValue] = useState(required);

  async function change(next: boolean) {
    setValue(next);
    setPending(true);
    setSaved(null);
    const result = await api("PATCH", "/team", { productionNeedsApproval: next });
    setPending(false);
    if (!result.ok) {
      setValue(!next);
      return setError(result.message);
    }
    setError(null);
    setSaved(next ? "Saved: production now needs approval." : "Saved: publishers publish to production directly.");
    router.refresh();
  }

  return (
    <div className="space-y-2 text-sm">
      {error ? <Alert>{error}</Alert> : null}
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-0.5 size-4" checked={value} disabled={!canChange || pending} onChange={(e) => change(e.target.checked)} aria-describedby="approval-help" />
        <span className="font-medium text-slate-900">Production needs approval</span>
      </label>
      <p id="approval-help" className="text-slate-600">
        An editor or publisher asks to publish a version to production with a note; another publisher or owner reviews its changes and approves (it is published) or rejects it. Rolling back to a version production served before needs no approval.
        {canChange ? null : " Owners change this."}
      </p>
      <p role="status" className="text-emerald-800">
        {saved}
      </p>
    </div>
  );
}
