"use client";
// A destructive action in two steps (no browser dialog): the first click asks, the
// second does it. Errors show beside the button.
import { useState } from "react";
import { Button } from "./primitives";
import type { ApiResult } from "./api";

export function ConfirmButton({
  label,
  confirmLabel,
  action,
  onDone,
  variant = "danger",
}: {
  label: string;
  confirmLabel: string;
  action: () => Promise<ApiResult<unknown>>;
  onDone: () => void;
  variant?: "danger" | "secondary";
}) {
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setPending(true);
    const result = await action();
    setPending(false);
    setAsking(false);
    if (!result.ok) setError(result.message);
    else {
      setError(null);
      onDone();
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {asking ? (
        <>
          <Button type="button" variant={variant} onClick={run} disabled={pending} autoFocus>
            {pending ? "Working…" : confirmLabel}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </>
      ) : (
        <Button type="button" variant={variant} onClick={() => setAsking(true)}>
          {label}
        </Button>
      )}
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
