"use client";
// Tagpipe's OpenAPI document, rendered by Swagger UI (swagger-ui-dist, pinned). The
// bundle is part of this app's build and loads only on this page: nothing comes from a
// CDN, and the online validator Swagger UI would call is switched off.
import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";
import "./api-reference.css";

export function ApiReference({ url }: { url: string }) {
  const node = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !node.current) return;
        SwaggerUIBundle({
          domNode: node.current,
          url,
          validatorUrl: null,
          // Off: with deep links on, Swagger UI puts each operation's path link (<a href="#/…">)
          // inside the operation's expand <button>, an interactive element nested in another
          // that a screen reader or keyboard cannot use (axe: nested-interactive). Without
          // them the path is plain text and the button is the one control.
          deepLinking: false,
          docExpansion: "list",
          defaultModelsExpandDepth: -1,
          displayRequestDuration: true,
          // The dashboard's session cookie authenticates "Try it out" like any page.
          withCredentials: true,
          onComplete: () => {
            if (!cancelled) setState("ready");
          },
        });
      })
      .catch(() => {
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    <div>
      {state === "loading" ? <p className="px-5 py-4 text-sm text-slate-600">Loading the API reference…</p> : null}
      {state === "failed" ? (
        <p role="alert" className="px-5 py-4 text-sm text-red-700">
          The API reference could not be shown. The document itself is at <a className="underline" href={url}>{url}</a>.
        </p>
      ) : null}
      <div ref={node} className="api-reference min-w-0" />
    </div>
  );
}
