"use client";
// The dashboard's button. A submit button shows that its form is at work: from the submit
// until the API calls it started have settled it is disabled, aria-busy and reads
// "Saving…" (or busyLabel), so nobody clicks twice wondering whether it took.
import { useEffect, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { onActivity, requestsInFlight } from "./activity";
import { BUTTON, cx, type ButtonVariant } from "./styles";

function useSubmitBusy(ref: React.RefObject<HTMLButtonElement | null>, enabled: boolean): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const form = ref.current?.form;
    if (!enabled || !form) return;
    let stop: (() => void) | null = null;
    const settle = () => {
      if (requestsInFlight() > 0) return;
      setBusy(false);
      stop?.();
      stop = null;
    };
    const onSubmit = () => {
      // The form's own handler (React's, at the root) runs after this listener and starts
      // its request synchronously; look once it has had its turn.
      setTimeout(() => {
        if (requestsInFlight() === 0) return;
        setBusy(true);
        stop?.();
        stop = onActivity(settle);
      }, 0);
    };
    form.addEventListener("submit", onSubmit);
    return () => {
      form.removeEventListener("submit", onSubmit);
      stop?.();
    };
  }, [ref, enabled]);
  return busy;
}

export function Button({
  variant = "primary",
  className,
  busyLabel = "Saving…",
  children,
  disabled,
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant; busyLabel?: ReactNode }) {
  const ref = useRef<HTMLButtonElement>(null);
  const busy = useSubmitBusy(ref, props.type === "submit");
  // A form that disables its button while pending shows its own wording ("Publishing…").
  const ownLabel = disabled === true;
  return (
    <button
      ref={ref}
      {...props}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        "inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition disabled:cursor-not-allowed",
        BUTTON[variant],
        className,
      )}
    >
      {busy && !ownLabel ? busyLabel : children}
    </button>
  );
}
