"use client";
// "Mark all as read" on the notifications page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../ui/api";
import { Button } from "../ui/primitives";

export function MarkAllRead() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setPending(true);
    const result = await api("POST", "/notifications/read", {});
    setPending(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <span className="inline-flex items-center gap-2">
      {error ? <span className="text-sm text-red-700">{error}</span> : null}
      <Button type="button" variant="secondary" onClick={run} disabled={pending}>
        {pending ? "Marking…" : "Mark all as read"}
      </Button>
    </span>
  );
}
