// The preview panel: a script of its own, loaded by the container only in preview mode.
// It shows the records the runtime keeps in window.tagpipe.debug — past ones at once,
// new ones as they come — in a shadow root, built with textContent only: configuration
// strings are shown, never interpreted.
export type Record_ = { title: string; lines: string[]; ok: boolean };

function panel(): (r: Record_) => void {
  const host = document.createElement("div");
  host.setAttribute("data-tagpipe-preview", "");
  const root = host.attachShadow({ mode: "open" });
  const box = document.createElement("div");
  box.setAttribute("style", "position:fixed;right:12px;bottom:12px;width:380px;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#111;font:12px/1.4 system-ui,sans-serif;border:1px solid #999;border-radius:6px;box-shadow:0 4px 16px #0003;padding:8px");
  const head = document.createElement("strong");
  head.textContent = "Tagpipe preview";
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

const w = window as unknown as { tagpipe?: { debug?: Record_[] }; __tagpipePanel?: (r: Record_) => void };
if (!w.__tagpipePanel) {
  const show = panel();
  for (const r of w.tagpipe?.debug ?? []) show(r);
  w.__tagpipePanel = show;
}
