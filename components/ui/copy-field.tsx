"use client";
// A one-line value to copy (a link, a secret, a key, a snippet): the field keeps its own
// width (the value scrolls inside it, never the page), with Copy beside it.
import { useId, useRef } from "react";
import { CopyButton } from "./copy-button";
import { cx } from "./styles";

export function CopyField({ label, value, hideLabel, tone = "slate" }: { label: string; value: string; hideLabel?: boolean; tone?: "slate" | "green" }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-xs font-medium text-slate-700"}>
        {label}
      </label>
      <div className="flex min-w-0 items-center gap-2">
        <input
          id={id}
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className={cx("min-w-0 flex-1 rounded border bg-white px-2 py-1 font-mono text-xs text-slate-900", tone === "green" ? "border-emerald-300" : "border-slate-300")}
        />
        <CopyButton text={value} label={label} onFallback={() => input.current?.select()} />
      </div>
    </div>
  );
}
