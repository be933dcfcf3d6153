"use client";
// Re-renders a server page in place (its data is read again).
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "../ui/primitives";

export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button type="button" variant="secondary" disabled={pending} onClick={() => start(() => router.refresh())}>
      {pending ? "Refreshing…" : "Refresh"}
    </Button>
  );
}
