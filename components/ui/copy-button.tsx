"use client";
// The one Copy button: every snippet, secret, key and link in the dashboard has it. Says
// "Copied" when it worked; where the clipboard API is missing (plain http, an old
// browser) it copies through a selected text area, and failing that asks for Ctrl+C.
import { useEffect, useState } from "react";
import { Button } from "./button";

async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (permissions, an insecure origin): the fallback below may still work.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

export function CopyButton({ text, label, onFallback }: { text: string; label: string; onFallback?: () => void }) {
  const [state, setState] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState(null), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span className="inline-flex shrink-0 items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        aria-label={`Copy ${label}`}
        onClick={async () => {
          const ok = await copyText(text);
          setState(ok ? "copied" : "failed");
          if (!ok) onFallback?.();
        }}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-3.5 w-3.5">
          <path d="M7 3.5A1.5 1.5 0 0 1 8.5 2h6A1.5 1.5 0 0 1 16 3.5v9a1.5 1.5 0 0 1-1.5 1.5h-6A1.5 1.5 0 0 1 7 12.5v-9Z" />
          <path d="M4 6.5A1.5 1.5 0 0 1 5.5 5H6v7.5A2.5 2.5 0 0 0 8.5 15H13v.5a1.5 1.5 0 0 1-1.5 1.5h-6A1.5 1.5 0 0 1 4 15.5v-9Z" />
        </svg>
        {state === "copied" ? "Copied" : "Copy"}
      </Button>
      <span role="status" className={state === "failed" ? "text-xs text-red-700" : "sr-only"}>
        {state === "copied" ? `${label} copied` : state === "failed" ? "Copy failed: the text is selected, press Ctrl+C" : ""}
      </span>
    </span>
  );
}
