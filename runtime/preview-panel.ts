// The preview panel: a script of its own, loaded by the container only in preview mode,
// with the names of the version's triggers, variables and destinations injected in place
// of __TAGPIPE_NAMES__ (a JSON string literal, like the container's configuration). It
// shows the runtime's records (window.tagpipe.debug) — past ones at once, new ones as they
// come — in a shadow root, built with textContent only: configuration strings are shown,
// never interpreted.
import type { RuntimeConfig, RuntimeNames } from "../lib/compiler/runtime-config";
import { explain, type Shown } from "./explain";
import type { Entry } from "./records";

declare const __TAGPIPE_NAMES__: string;

function panel(names: RuntimeNames | null): (r: Shown) => void {
  const host = document.createElement("div");
  host.setAttribute("data-tagpipe-preview", "");
  const root = host.attachShadow({ mode: "open" });
  const box = document.createElement("div");
  box.setAttribute("style", "position:fixed;right:12px;bottom:12px;width:380px;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#111;font:12px/1.4 system-ui,sans-serif;border:1px solid #999;border-radius:6px;box-shadow:0 4px 16px #0003;padding:8px");
  const head = document.createElement("strong");
  head.textContent = names ? `Tagpipe preview: ${names.container} v${names.version} (${names.environment})` : "Tagpipe preview";
  box.appendChild(head);
  root.appendChild(box);
  const mount = () => document.body.appendChild(host);
  if (document.body) mount();
  else addEventListener("DOMContentLoaded", mount);
  return (r) => {
    const item = document.createElement("details");
    item.setAttribute("part", "record");
    item.setAttribute("style", `border-top:1px solid #ddd;padding:4px 0;color:${r.ok ? "#064" : "#900"}`);
    item.open = true;
    const summary = document.createElement("summary");
    summary.textContent = r.title;
    item.appendChild(summary);
    for (const line of r.lines) {
      const div = document.createElement("div");
      div.setAttribute("style", "color:#333;white-space:pre-wrap;word-break:break-all");
      div.textContent = line;
      item.appendChild(div);
    }
    box.appendChild(item);
  };
}

const w = window as unknown as { tagpipe?: { debug?: (Entry | Shown)[]; config?: RuntimeConfig }; __tagpipePanel?: (r: Entry | Shown) => void };
if (!w.__tagpipePanel) {
  const names = JSON.parse(__TAGPIPE_NAMES__) as RuntimeNames | null;
  const show = panel(names);
  const render = (r: Entry | Shown) => show(explain(r, w.tagpipe?.config, names));
  for (const r of w.tagpipe?.debug ?? []) render(r);
  w.__tagpipePanel = render;
}
