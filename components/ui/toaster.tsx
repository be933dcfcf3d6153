"use client";
// A short confirmation after each saved change, read out by screen readers (aria-live)
// and gone after a few seconds.
import { useEffect, useState } from "react";
import { onSaved } from "./activity";

export function Toaster() {
  const [message, setMessage] = useState<{ text: string; at: number } | null>(null);
  useEffect(() => onSaved((text) => setMessage({ text, at: Date.now() })), []);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4 md:justify-end md:px-8">
      {message ? (
        <p key={message.at} className="pointer-events-auto rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white shadow-lg">
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
